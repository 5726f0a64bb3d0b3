using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.Fakes.Kalshi;
using KxCollector.Kalshi.Sports;
using KxCollector.Tests.Kalshi;
using KxCollector.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Events;

namespace KxCollector.Tests.Sports;

/// <summary>
/// TARGET_SPORTS through the real host against the fake Kalshi over 127.0.0.1, in real time (seconds): which series
/// are recorded, a series Kalshi adds while the collector runs, and game lines that follow the fake's score. The
/// discovery and game intervals are compressed from 60 s / 5 s to 1 s / 0.3 s.
/// </summary>
public sealed class SportsHostIntegrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);
    private readonly TempDirectory _dir = new();
    private readonly ListSink _log = new();
    private FakeKalshiServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeKalshiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task NFL_and_NBA_record_their_series_only_pick_up_a_new_series_and_write_game_lines_that_follow_the_score()
    {
        var now = TimeProvider.System.GetUtcNow();
        var sports = _fake.Sports;
        sports.AddSeries("KXNFLGAME", "Sports", "Football");
        sports.AddSeries("KXNFLSPREAD", "Sports", "Football");
        sports.AddSeries("KXNCAAFGAME", "Sports", "Football");
        sports.AddSeries("KXNBAGAME", "Sports", "Basketball");
        sports.AddSeries("KXWNBAGAME", "Sports", "Basketball");
        sports.AddSeries("KXNHLGAME", "Sports", "Hockey");
        foreach (var ticker in new[] { "KXNFLGAME-26DEC01KCBUF-KC", "KXNFLSPREAD-26DEC01KCBUF-KC3", "KXNCAAFGAME-26DEC01MIZZKU-MIZZ", "KXNBAGAME-26DEC01LALBOS-LAL", "KXWNBAGAME-26DEC01NYLLV-NYL", "KXNHLGAME-26DEC01NYRBOS-NYR" })
        {
            _fake.AddMarket(Market(ticker, now));
        }

        var nfl = new FakeGame
        {
            MilestoneId = "ms-nfl-live",
            Start = now.AddMinutes(-30),
            MarketsClose = now.AddHours(2),
            EventTickers = ["KXNFLGAME-26DEC01KCBUF", "KXNFLSPREAD-26DEC01KCBUF", "KXNFLTOTAL-26DEC01KCBUF"],
        };
        var nbaLater = new FakeGame
        {
            MilestoneId = "ms-nba-tonight",
            Type = "basketball_game",
            Start = now.AddHours(4),
            MarketsClose = now.AddHours(7),
            EventTickers = ["KXNBAGAME-26DEC01LALBOS"],
        };
        var nhlLive = new FakeGame
        {
            MilestoneId = "ms-nhl-live",
            Type = "hockey_game",
            Start = now.AddMinutes(-5),
            MarketsClose = now.AddHours(2),
            EventTickers = ["KXNHLGAME-26DEC01NYRBOS"],
        };
        sports.AddGame(nfl);
        sports.AddGame(nbaLater);
        sports.AddGame(nhlLive);

        using var host = BuildHost(SportCatalog.Find("NFL")!, SportCatalog.Find("NBA")!);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(
                () => TickTickers("kxnflgame").Contains("KXNFLGAME-26DEC01KCBUF-KC") && TickTickers("kxnflspread").Any() && TickTickers("kxnbagame").Any() && GameLines("kxnflgame").Count >= 1,
                Timeout,
                () => $"files: {string.Join(",", DataFiles())}; log: {_log.Text}");

            // Kalshi adds a series mid-season: found by the min_updated_ts poll, recorded without a restart.
            sports.AddSeries("KXNFLTOTAL", "Sports", "Football");
            _fake.AddMarket(Market("KXNFLTOTAL-26DEC01KCBUF-45", now));
            await Poll.UntilAsync(() => TickTickers("kxnfltotal").Contains("KXNFLTOTAL-26DEC01KCBUF-45"), Timeout, () => $"files: {string.Join(",", DataFiles())}");

            nfl.Score(7, 0);
            await Poll.UntilAsync(() => GameLines("kxnflgame").Any(l => Points(l) == (7, 0)), Timeout, () => string.Join("\n", GameLines("kxnflgame").Select(l => l.GetRawText())));
            nfl.Score(7, 3);
            await Poll.UntilAsync(() => GameLines("kxnflgame").Any(l => Points(l) == (7, 3)) && GameLines("kxnfltotal").Any(l => Points(l) == (7, 3)), Timeout, () => string.Join("\n", GameLines("kxnflgame").Select(l => l.GetRawText())));
            await Poll.UntilAsync(() => StatusSports() is { } s && s.GetProperty("resolved").GetProperty("NFL").GetProperty("last_added").GetString() == "KXNFLTOTAL", Timeout, () => File.Exists(StatusPath) ? File.ReadAllText(StatusPath) : "no status.json");
        }
        finally
        {
            await host.StopAsync();
        }

        DataFiles().Select(f => f[..^"-YYYY-MM-DD.jsonl".Length]).Distinct().Order(StringComparer.Ordinal)
            .Should().Equal(["kxnbagame", "kxnflgame", "kxnflspread", "kxnfltotal"], "NFL and NBA series only: not college football, WNBA, NHL, nor the default KXBTC15M");

        var lines = GameLines("kxnflgame");
        lines.Select(Points).Should().Equal([(0, 0), (7, 0), (7, 3)], "a line when the score changed, none while it stayed");
        var first = lines[0];
        first.EnumerateObject().Select(p => p.Name).Should().Equal("type", "ts", "milestone_id", "event_tickers", "milestone_type", "details");
        first.GetProperty("milestone_id").GetString().Should().Be("ms-nfl-live");
        first.GetProperty("milestone_type").GetString().Should().Be("football_game");
        first.GetProperty("event_tickers").EnumerateArray().Select(e => e.GetString()).Should().Equal(nfl.EventTickers);
        first.GetProperty("details").GetRawText().Should().Be("""{"status":"scheduled","home_points":0,"away_points":0}""", "details are written as Kalshi sent them");
        GameLines("kxnflspread").Select(Points).Should().Equal([(0, 0), (7, 0), (7, 3)], "each recorded series of the game gets the lines");
        GameLines("kxnbagame").Should().BeEmpty("the NBA game starts in four hours");

        sports.LiveDataRequested.Should().NotBeEmpty().And.OnlyContain(id => id == "ms-nfl-live", "no request for games that are not live, nor for sports not recorded");
        _fake.Requests.Where(r => r.Path.EndsWith("/series", StringComparison.Ordinal)).Should().Contain(r => r.Query.Contains("min_updated_ts=", StringComparison.Ordinal));
        _log.Text.Should().Contain("NFL resolves to 2 Kalshi series: KXNFLGAME,KXNFLSPREAD").And.Contain("new NFL series KXNFLTOTAL");
    }

    [Fact]
    public async Task A_sport_that_resolves_to_nothing_and_a_tag_Kalshi_does_not_know_are_each_one_line_naming_them()
    {
        _fake.Sports.TagsByCategories["Sports"].Remove("Soccer");
        _fake.Sports.AddSeries("KXNFLGAME", "Sports", "Football");
        _fake.AddMarket(Market("KXNFLGAME-26DEC01KCBUF-KC", TimeProvider.System.GetUtcNow()));

        using var host = BuildHost(SportCatalog.Find("NFL")!, SportCatalog.Find("WNBA")!, SportCatalog.Find("EPL")!);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => TickTickers("kxnflgame").Any() && _log.Text.Contains("WNBA resolves to no Kalshi series", StringComparison.Ordinal), Timeout, () => _log.Text);
            await Poll.UntilAsync(() => StatusSports() is not null, Timeout, "status.json has a sports section");
        }
        finally
        {
            await host.StopAsync();
        }

        _log.Lines.Where(l => l.Contains("WNBA", StringComparison.Ordinal)).Should().ContainSingle().Which.Should().Contain("tag Basketball").And.Contain("KXWNBA");
        _log.Lines.Where(l => l.Contains("tag 'Soccer'", StringComparison.Ordinal)).Should().ContainSingle().Which.Should().Contain("EPL");
        var resolved = StatusSports()!.Value.GetProperty("resolved");
        resolved.GetProperty("WNBA").GetProperty("problem").GetString().Should().Contain("no series");
        resolved.GetProperty("EPL").GetProperty("problem").GetString().Should().Contain("Soccer");
        resolved.GetProperty("NFL").GetProperty("series").EnumerateArray().Select(e => e.GetString()).Should().Equal("KXNFLGAME");
    }

    [Fact]
    public async Task Switches_turned_off_are_each_said_once_with_what_is_lost_and_shown_in_status()
    {
        _fake.Sports.AddSeries("KXNHLGAME", "Sports", "Hockey");
        _fake.AddMarket(Market("KXNHLGAME-26DEC01NYRBOS-NYR", TimeProvider.System.GetUtcNow()));
        var keyPath = TestKeys.WriteKeyFile(_dir.Path, TestKeys.Pkcs1Pem);

        using var host = BuildHost(new CollectorSwitches { LiveStreaming = false, HistoricalBackfill = false }, keyPath, SportCatalog.Find("NHL")!);
        await host.StartAsync();
        try
        {
            await Poll.UntilAsync(() => TickTickers("kxnhlgame").Any() && StatusKalshi() is { } k && k.GetProperty("markets_tracked").GetInt32() == 1, Timeout, () => _log.Text);
        }
        finally
        {
            await host.StopAsync();
        }

        _log.Lines.Where(l => l.StartsWith("ENABLE_LIVE_STREAMING=false", StringComparison.Ordinal)).Should().ContainSingle().Which.Should().Contain("Lost: real-time quotes");
        _log.Lines.Where(l => l.StartsWith("ENABLE_HISTORICAL_BACKFILL=false", StringComparison.Ordinal)).Should().ContainSingle().Which.Should().Contain("no gap filling");
        _log.Text.Should().NotContain("ENABLE_REST_POLLING=false");
        host.Services.GetServices<IHostedService>().Should().NotContain(s => s is KxCollector.Kalshi.Stream.KalshiStreamService || s is KxCollector.Backfill.GapFillService);
        var kalshi = StatusKalshi()!.Value;
        kalshi.GetProperty("stream").GetProperty("state").GetString().Should().Be("off_disabled", "a key is configured, the switch turned the stream off");
        var shown = kalshi.GetProperty("switches");
        shown.EnumerateObject().Select(p => (p.Name, p.Value.GetBoolean())).Should().Equal(("live_streaming", false), ("rest_polling", true), ("historical_backfill", false));
    }

    private JsonElement? StatusKalshi() => StatusSection("kalshi");

    private static FakeMarket Market(string ticker, DateTimeOffset now) => new()
    {
        Ticker = ticker,
        OpenTime = now.AddDays(-1),
        CloseTime = now.AddHours(3),
        FloorStrike = null,
    };

    private string StatusPath => Path.Combine(_dir.Path, "status.json");

    private JsonElement? StatusSports() => StatusSection("sports");

    private JsonElement? StatusSection(string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(StatusPath));
            return doc.RootElement.TryGetProperty(name, out var section) ? section.Clone() : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    private IHost BuildHost(params Sport[] sports) => BuildHost(CollectorSwitches.AllOn, null, sports);

    private IHost BuildHost(CollectorSwitches switches, string? keyPath, params Sport[] sports)
    {
        var kalshi = KalshiTestRig.Options(_fake, keyPath: keyPath, discoveryInterval: TimeSpan.FromSeconds(1), restRequestsPerSecond: 50);
        var options = CollectorTestHost.Options(
            _dir.Path,
            kalshi,
            seriesTicker: string.Empty,
            switches: switches,
            sports: new SportsOptions { Sports = sports, GamePollInterval = TimeSpan.FromSeconds(0.3), DiscoveryInterval = TimeSpan.FromSeconds(1) });
        return CollectorTestHost.Build(options, _log, LogEventLevel.Information);
    }

    private List<string> DataFiles() =>
        Directory.GetFiles(_dir.Path, "*-*.jsonl").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList();

    private List<string> Lines(string prefix) =>
        Directory.GetFiles(_dir.Path, prefix + "-*.jsonl").Order(StringComparer.Ordinal)
            .SelectMany(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            })
            .ToList();

    private List<JsonElement> GameLines(string prefix) =>
        Lines(prefix).Where(l => l.StartsWith("{\"type\":\"game\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private HashSet<string> TickTickers(string prefix) =>
        Lines(prefix).Where(l => l.StartsWith("{\"type\":\"tick\"", StringComparison.Ordinal))
            .SelectMany(l =>
            {
                using var doc = JsonDocument.Parse(l);
                return doc.RootElement.GetProperty("markets").EnumerateArray().Select(e => e.GetProperty("ticker").GetString()!).ToList();
            })
            .ToHashSet(StringComparer.Ordinal);

    private static (int Home, int Away) Points(JsonElement line)
    {
        var details = line.GetProperty("details");
        return (details.GetProperty("home_points").GetInt32(), details.GetProperty("away_points").GetInt32());
    }
}
