using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KxCollector.Fakes.Exchanges;
using KxCollector.Tests.Support;
using KxCollector.Verification;

namespace KxCollector.Tests.Resilience;

/// <summary>
/// An exchange that keeps dropping the collector's connection, against the real process over real sockets: the
/// backoff grows with jitter up to its cap and starts over after a stable link, the feed is fresh again within 3 s
/// of every drop, and the process holds no more sockets or threads at the end than before.
/// </summary>
/// <remarks>
/// Time is compressed so this runs in about 20 s, not the issue's minute: the backoff is 200 ms base, 1.6 s cap and
/// a 4 s stable period (KX_DEBUG_FEED_BACKOFF_MS; production is 0.5 s / 30 s / 30 s), and Kraken is dropped every
/// 1.5 s. The shapes are the same: every link lives shorter than the stable period, so the ceiling doubles each
/// drop until it hits the cap, and one link left up past the stable period resets it.
/// </remarks>
public sealed partial class FlappingExchangeTests : IAsyncLifetime
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Cap = TimeSpan.FromMilliseconds(1600);
    private static readonly TimeSpan StablePeriod = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan DropEvery = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan FreshWithin = TimeSpan.FromSeconds(3);
    private const int Drops = 8;

    private readonly TempDirectory _dir = new();
    private FakeCoinbase _coinbase = null!;
    private FakeKraken _kraken = null!;
    private FakeBitstamp _bitstamp = null!;

    public async Task InitializeAsync()
    {
        _coinbase = await FakeCoinbase.StartAsync();
        _kraken = await FakeKraken.StartAsync();
        _bitstamp = await FakeBitstamp.StartAsync();
        foreach (var fake in new FakeExchange[] { _coinbase, _kraken, _bitstamp })
        {
            fake.QuotesPerSecond = 20;
        }

        _coinbase.SetQuote(70000.10m, 70000.30m);
        _kraken.SetQuote(70010m, 70011m);
        _bitstamp.SetQuote(69990m, 69991m);
    }

    public async Task DisposeAsync()
    {
        await _coinbase.DisposeAsync();
        await _kraken.DisposeAsync();
        await _bitstamp.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_venue_dropping_the_link_every_1_5_s_gets_capped_jittered_backoff_that_resets_and_no_leaked_sockets_or_threads()
    {
        var data = _dir.Combine("data");
        using var process = CollectorProcess.Start(_dir.Path, OfflineSettings.For(
            data,
            ("COINBASE_WS_URL", _coinbase.Url.ToString()),
            ("KRAKEN_WS_URL", _kraken.Url.ToString()),
            ("BITSTAMP_WS_URL", _bitstamp.Url.ToString()),
            ("FEED_STALE_SECONDS", "3"),
            ("KX_DEBUG_ALLOW_FAULTS", "1"),
            ("KX_DEBUG_FEED_BACKOFF_MS", $"{Base.TotalMilliseconds},{Cap.TotalMilliseconds},{StablePeriod.TotalMilliseconds}")));
        await Poll.UntilAsync(
            () => RecordedTicks.Read(data).Any(t => t.Price("kraken") is not null && t.Price("coinbase") is not null && t.Price("bitstamp") is not null) || process.HasExited,
            TimeSpan.FromSeconds(30),
            () => "a tick with all three prices; stdout: " + process.StandardOutput + " stderr: " + process.StandardError);
        process.HasExited.Should().BeFalse(process.StandardError);
        var flappingFrom = TimeProvider.System.GetUtcNow();

        var reconnectTimes = new List<TimeSpan>();
        ProcessFootprint? before = null;
        List<string> targetsBefore = [];
        for (var drop = 0; drop < Drops; drop++)
        {
            reconnectTimes.Add(await DropAndTimeReconnectAsync(process));
            if (drop == 0)
            {
                // Measured once the reconnect path has run, so what it loads the first time is in the baseline.
                before = ProcessFootprint.Read(process.Pid);
                targetsBefore = ProcessFootprint.Targets(process.Pid);
            }

            await WaitUntilAsync(DropEvery - reconnectTimes[^1]);
        }

        // Left alone past the stable period, the next drop must start the backoff over from the base.
        await WaitUntilAsync(StablePeriod + TimeSpan.FromSeconds(0.5));
        reconnectTimes.Add(await DropAndTimeReconnectAsync(process));
        await Poll.UntilAsync(() => ReconnectLines(process).Count == Drops + 1, TimeSpan.FromSeconds(5), () => process.StandardOutput);
        var after = ProcessFootprint.Read(process.Pid);
        var targetsAfter = ProcessFootprint.Targets(process.Pid);
        var added = string.Join(", ", targetsAfter.Except(targetsBefore));

        await Poll.UntilAsync(() => KrakenReconnectsInStatus(data) == Drops + 1, TimeSpan.FromSeconds(3), () => "status.json counting every reconnect: " + KrakenReconnectsInStatus(data));

        process.SendSignal(CollectorProcess.SigTerm);
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, process.StandardError);

        reconnectTimes.Should().OnlyContain(t => t < FreshWithin, "the feed has its price back within 3 s of every drop");

        var lines = ReconnectLines(process);
        lines.Select(l => l.Attempt).Should().Equal(Enumerable.Range(1, Drops).Append(1), "attempts count up while links die young, and start over after a stable one");
        foreach (var (delay, attempt) in lines)
        {
            var ceiling = Math.Min(Cap.TotalSeconds, Base.TotalSeconds * Math.Pow(2, attempt - 1));
            delay.Should().BeLessThanOrEqualTo(ceiling + 0.005, $"attempt {attempt} waits at most its ceiling min(cap, base·2^(n-1))");
        }

        lines.Where(l => l.Attempt >= 4).Should().OnlyContain(l => l.Delay <= Cap.TotalSeconds + 0.005, "the ceiling stops at the cap");
        lines.Select(l => l.Delay).Distinct().Should().HaveCountGreaterThan(1, "full jitter spreads the delays");

        after.Sockets.Should().BeLessThanOrEqualTo(before!.Sockets + 1, $"no socket leaks across {Drops} reconnects (before: {before}, after: {after})");
        after.OpenFds.Should().BeLessThanOrEqualTo(before.OpenFds + 2, $"no descriptor leaks (before: {before}, after: {after}; new: {added})");
        after.Threads.Should().BeLessThanOrEqualTo(before.Threads + 4, $"no thread per reconnect (before: {before}, after: {after})");

        var report = Directory.GetFiles(data, "*.jsonl").Select(DataFileVerifier.Verify).Single();
        report.UnparseableLineCount.Should().Be(0);
        report.MissingSeconds.Should().Be(0, "ticks never wait for a feed");
        report.DuplicatedSeconds.Should().Be(0);
        RecordedTicks.Read(data).Where(t => t.Ts() >= flappingFrom).Should()
            .OnlyContain(t => t.Price("kraken") == 70010.5m, "Kraken's quote never went stale (3 s) while it flapped");
    }

    /// <summary>Drops Kraken's connection and returns how long until it was subscribed again (quotes follow at once).</summary>
    private async Task<TimeSpan> DropAndTimeReconnectAsync(CollectorProcess process)
    {
        var subscriptions = _kraken.Subscriptions;
        var droppedAt = TimeProvider.System.GetTimestamp();
        _kraken.DropAllConnections();
        await Poll.UntilAsync(() => _kraken.Subscriptions > subscriptions, TimeSpan.FromSeconds(10), () => "Kraken resubscribed; stdout: " + process.StandardOutput);
        return TimeProvider.System.GetElapsedTime(droppedAt);
    }

    private static long KrakenReconnectsInStatus(string data)
    {
        // status.json is replaced by a rename, so a read sees either the old or the new whole file.
        using var status = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "status.json")));
        return status.RootElement.GetProperty("feeds").GetProperty("kraken").GetProperty("reconnects").GetInt64();
    }

    private static async Task WaitUntilAsync(TimeSpan wait)
    {
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    private static List<(double Delay, int Attempt)> ReconnectLines(CollectorProcess process) =>
        ReconnectLine().Matches(process.StandardOutput)
            .Select(m => (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();

    [GeneratedRegex(@"Kraken: reconnecting in ([0-9.]+) s \(attempt ([0-9]+)\)")]
    private static partial Regex ReconnectLine();
}
