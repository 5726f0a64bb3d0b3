using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.StatusPage;

/// <summary>
/// GET / in a real browser (Debian's chromium, headless) against the collector running on the fakes: the page fetches
/// its data from the collector alone (every other host is made unresolvable) and its charts draw the values the
/// collector recorded. The page writes the newest drawn points of each line into data-values ("unix-ms:value"), which
/// are compared here with the JSONL lines of those seconds.
/// </summary>
public sealed partial class StatusPageBrowserTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _profile = new();
    private LiveCollectorRig _rig = null!;

    public async Task InitializeAsync() => _rig = await LiveCollectorRig.StartAsync();

    public async Task DisposeAsync()
    {
        await _rig.DisposeAsync();
        _profile.Dispose();
    }

    [Fact]
    public async Task The_page_is_self_contained_and_its_charts_draw_the_recorded_proxy_spreads_and_market_quotes()
    {
        // Prices that move, so every second records different numbers (whole cents: exact in the file and in JS).
        using var moving = new CancellationTokenSource();
        var mover = Task.Run(async () =>
        {
            for (var i = 1; !moving.IsCancellationRequested; i++)
            {
                _rig.SetMid(70000m + (i * 1.37m));
                await Task.Delay(300);
            }
        });
        try
        {
            await Poll.UntilAsync(() => _rig.Lines("tick").Count(t => t.GetProperty("markets").GetArrayLength() == 1) >= 6, Timeout, () => _rig.Log);
        }
        finally
        {
            await moving.CancelAsync();
            await mover;
        }

        using var page = await _rig.Http.GetAsync(new Uri("/", UriKind.Relative));
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        Url().Matches(html).Select(m => m.Value).Distinct().Should().Equal(["http://www.w3.org/2000/svg"], "the SVG namespace is the page's only URL: nothing is fetched from elsewhere");
        page.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'none'").And.Contain("connect-src 'self'");

        var dom = await DumpDomAsync();
        var ticks = _rig.Lines("tick").ToDictionary(t => t.GetProperty("ts").GetDateTimeOffset().ToUnixTimeMilliseconds());

        var brti = Series(dom, "brti");
        brti.Count.Should().BeGreaterThanOrEqualTo(6);
        brti.Points.Should().HaveCountGreaterThanOrEqualTo(6).And.HaveCount(Math.Min(brti.Count, 30));
        brti.Points.Select(p => p.Value).Distinct().Should().HaveCountGreaterThan(2, "the mid moved while recording");
        foreach (var (ts, value) in brti.Points)
        {
            ticks.Should().ContainKey(ts, "a drawn point is a recorded second");
            ticks[ts].GetProperty("brti").GetDecimal().Should().Be(value, $"brti of the tick at {ts}");
        }

        // The fake streams a BRTI print a second, and the ticks carry it: the page draws it, and spreads are to it.
        var official = Series(dom, "official_index");
        official.Points.Should().NotBeEmpty("the ticks carry the official index");
        foreach (var (ts, value) in official.Points)
        {
            ticks[ts].GetProperty("official_index").GetDecimal().Should().Be(value, $"official_index of the tick at {ts}");
        }

        Regex.IsMatch(dom, "data-chart=\"spread\"[^>]*data-reference=\"official_index\"").Should().BeTrue("with the official index recorded, spreads are to it");
        foreach (var venue in new[] { "coinbase", "kraken", "bitstamp" })
        {
            var spread = Series(dom, venue);
            spread.Points.Should().NotBeEmpty();
            foreach (var (ts, value) in spread.Points)
            {
                var tick = ticks[ts];
                (tick.GetProperty(venue).GetDecimal() - tick.GetProperty("official_index").GetDecimal()).Should().Be(value, $"{venue}'s spread to the official index at {ts}");
            }
        }

        Regex.IsMatch(dom, $"data-ticker=\"{LiveCollectorRig.Market}\"").Should().BeTrue();
        foreach (var side in new[] { "yes_bid", "yes_ask" })
        {
            var quotes = Series(dom, side);
            quotes.Points.Should().NotBeEmpty();
            foreach (var (ts, value) in quotes.Points)
            {
                var market = ticks[ts].GetProperty("markets").EnumerateArray().Single(m => m.GetProperty("ticker").GetString() == LiveCollectorRig.Market);
                market.GetProperty(side).GetDecimal().Should().Be(value, $"{side} at {ts}");
            }
        }

        Regex.Match(dom, "data-missing=\"(\\d+)\"").Groups[1].Value.Should().Be("0");
        Regex.Matches(dom, "<tr data-venue=\"([a-z]+)\">").Select(m => m.Groups[1].Value).Should().Equal("coinbase", "kraken", "bitstamp");
        Regex.IsMatch(dom, "data-kalshi=\"stream\">connected<").Should().BeTrue("the stream's state comes from /health");
    }

    private async Task<string> DumpDomAsync()
    {
        var url = $"http://127.0.0.1:{_rig.Port.ToString(CultureInfo.InvariantCulture)}/";
        var result = await Shell.RunAsync(
            "chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={_profile.Path}",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--virtual-time-budget=5000", "--dump-dom", url,
            ],
            timeout: TimeSpan.FromSeconds(90));
        result.ExitCode.Should().Be(0, result.ToString());
        result.StandardOutput.Should().Contain("data-updated=", "the page fetched its data: " + result.StandardError);
        return result.StandardOutput;
    }

    private static (int Count, List<(long Ts, decimal Value)> Points) Series(string dom, string name)
    {
        var g = Regex.Match(dom, $"<g data-series=\"{name}\" data-count=\"(\\d+)\" data-values=\"([^\"]*)\">(.*?)</g>");
        g.Success.Should().BeTrue($"the page draws {name}");
        var points = g.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(':'))
            .Select(p => (long.Parse(p[0], CultureInfo.InvariantCulture), decimal.Parse(p[1], NumberStyles.Float, CultureInfo.InvariantCulture)))
            .ToList();
        var drawn = Regex.Matches(g.Groups[3].Value, "points=\"([^\"]*)\"").Sum(m => m.Groups[1].Value.Split(' ').Length);
        drawn.Should().Be(int.Parse(g.Groups[1].Value, CultureInfo.InvariantCulture), $"every counted {name} value is a drawn vertex");
        return (int.Parse(g.Groups[1].Value, CultureInfo.InvariantCulture), points);
    }

    [GeneratedRegex(@"https?://[^\s""'<>)]+")]
    private static partial Regex Url();
}
