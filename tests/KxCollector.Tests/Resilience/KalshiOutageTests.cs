using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using KxCollector.Fakes.Kalshi;
using KxCollector.Hosting;
using KxCollector.Tests.Kalshi;
using KxCollector.Tests.Support;
using KxCollector.Verification;
using Microsoft.Extensions.Hosting;
using Serilog.Core;
using Serilog.Events;

namespace KxCollector.Tests.Resilience;

/// <summary>
/// Kalshi answers 429, then 500, then hangs, then recovers, under the real host: a tick every second throughout,
/// the market carried with its last state and a growing age_ms, retries backing off and paced, and recovery by itself.
/// </summary>
/// <remarks>
/// Compressed from the minute of errors and 30 s hang to at least 4 s of each (poll every 1 s, fast poll
/// 0.5 s, HTTP timeout 1 s instead of 3 s / 0.5 s / 10 s), each lasting until the fake has answered its failure.
/// </remarks>
public sealed class KalshiOutageTests : IAsyncLifetime
{
    private const string Ticker = "KXBTC15M-26JUL222315-15";
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(1);

    private readonly TempDirectory _dir = new();
    private readonly EventSink _events = new();
    private FakeKalshiServer _kalshi = null!;

    public async Task InitializeAsync() => _kalshi = await FakeKalshiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _kalshi.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Ticks_go_on_every_second_through_429s_500s_and_a_hang_with_the_market_carried_and_aging_and_polls_recover_alone()
    {
        var now = TimeProvider.System.GetUtcNow();
        _kalshi.AddMarket(new FakeMarket { Ticker = Ticker, OpenTime = now.AddMinutes(-1), CloseTime = now.AddMinutes(10) });
        using var host = BuildHost();
        await host.StartAsync();
        DateTimeOffset outageFrom;
        DateTimeOffset outageTo;
        try
        {
            await Poll.UntilAsync(() => Ages().Any(), TimeSpan.FromSeconds(15), () => "a tick with the market" + Environment.NewLine + _events.Dump());

            // Each phase is set before the previous one ends, so no poll slips through between them. A phase lasts
            // its minimum and until the fake has seen its kind of failure: the tracker's backoff while Kalshi is
            // unreachable (doubling from the poll interval, jittered) can park the poll loop for longer than a
            // fixed-length phase, and a hang no request arrived in would prove nothing.
            outageFrom = TimeProvider.System.GetUtcNow();
            _kalshi.FailFor(TimeSpan.FromMinutes(5), 429);
            await PhaseAsync(429, atLeast: 4, "429s: one request's four attempts");
            _kalshi.FailFor(TimeSpan.FromMinutes(5), 500);
            await PhaseAsync(500, atLeast: 2, "500s");
            _kalshi.HangFor(TimeSpan.FromMinutes(5));
            await PhaseAsync(0, atLeast: 1, "a hung request given up on");
            _kalshi.FailFor(TimeSpan.Zero, 500);
            _kalshi.HangFor(TimeSpan.Zero);
            outageTo = TimeProvider.System.GetUtcNow();

            // The poll after the outage may wait out the unreachable backoff (at most 30 s).
            await Poll.UntilAsync(
                () => Ages().Any(a => a.Ts > outageTo && a.AgeMs < 1500),
                TimeSpan.FromSeconds(40),
                () => "a fresh market after the outage" + Environment.NewLine + _events.Dump());

            async Task PhaseAsync(int status, int atLeast, string what)
            {
                var from = TimeProvider.System.GetUtcNow();
                await Task.WhenAll(
                    Task.Delay(Phase),
                    Poll.UntilAsync(
                        () => _kalshi.Requests.Count(r => r.ReceivedAt >= from && r.StatusCode == status) >= atLeast,
                        TimeSpan.FromSeconds(40),
                        () => what + Environment.NewLine + _events.Dump()));
            }
        }
        finally
        {
            await host.StopAsync();
        }

        CollectorHost.AnyServiceFaulted(host).Should().BeFalse();
        var report = Directory.GetFiles(_dir.Path, "*.jsonl").Select(DataFileVerifier.Verify).Single();
        report.MissingSeconds.Should().Be(0, "Kalshi's trouble never holds up a tick");
        report.DuplicatedSeconds.Should().Be(0);
        report.UnparseableLineCount.Should().Be(0);

        var ticks = RecordedTicks.Read(_dir.Path);
        var firstWithMarket = ticks.FindIndex(t => t.GetProperty("markets").GetArrayLength() == 1);
        ticks.Skip(firstWithMarket).Should().OnlyContain(
            t => t.GetProperty("markets").GetArrayLength() == 1 && t.GetProperty("markets")[0].GetProperty("yes_bid").GetDecimal() == 5.6m,
            "the market is carried with its last known state through the outage");

        // Give the last successful poll a second to land, then every tick in the outage must be older than the one before.
        var during = Ages().Where(a => a.Ts > outageFrom + TimeSpan.FromSeconds(1.5) && a.Ts < outageTo).ToList();
        during.Should().HaveCountGreaterThanOrEqualTo(9);
        during.Zip(during.Skip(1)).Should().OnlyContain(p => p.Second.AgeMs > p.First.AgeMs, "age_ms grows while no poll succeeds");
        during[^1].AgeMs.Should().BeGreaterThan(9000);

        var requests = _kalshi.Requests.Where(r => r.ReceivedAt >= outageFrom && r.ReceivedAt < outageTo).ToList();
        requests.Should().Contain(r => r.StatusCode == 429).And.Contain(r => r.StatusCode == 500).And.Contain(r => r.StatusCode == 0, "hung requests are given up on at the timeout");
        requests.GroupBy(r => r.ReceivedAt.ToUnixTimeSeconds()).Max(g => g.Count()).Should().BeLessThanOrEqualTo(5, "retries are paced at 200 ms at least");
        requests.Count.Should().BeLessThan(50, "a client without backoff would hammer a failing API far harder");

        var retries = _events.Retries();
        retries.Select(r => r.Attempt).Should().Contain(3, "retries escalate within a request");
        foreach (var (delayMs, attempt) in retries)
        {
            delayMs.Should().BeLessThanOrEqualTo(Math.Min(10_000, 500 * Math.Pow(2, attempt - 1)) + 1, $"attempt {attempt}'s retry waits within its exponential ceiling");
        }

        _events.Messages().Should().Contain(m => m.StartsWith("Kalshi polls work again", StringComparison.Ordinal), "recovery is noticed and logged");
    }

    private List<(DateTimeOffset Ts, long AgeMs)> Ages() =>
        RecordedTicks.Read(_dir.Path)
            .Where(t => t.GetProperty("markets").GetArrayLength() == 1)
            .Select(t => (t.Ts(), t.GetProperty("markets")[0].GetProperty("age_ms").GetInt64()))
            .ToList();

    private IHost BuildHost()
    {
        var kalshi = KalshiTestRig.Options(_kalshi, fastPollInterval: TimeSpan.FromSeconds(0.5), httpTimeout: HttpTimeout);
        return CollectorTestHost.Build(CollectorTestHost.Options(_dir.Path, kalshi), _events, LogEventLevel.Debug);
    }

    private sealed class EventSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> _events = new();

        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

        public IEnumerable<string> Messages() => _events.Select(e => e.RenderMessage(CultureInfo.InvariantCulture));

        /// <summary>The REST client's "retry in {DelayMs} ms (attempt {Attempt} failed)" events.</summary>
        public List<(double DelayMs, int Attempt)> Retries() =>
            _events.Where(e => e.Properties.ContainsKey("DelayMs") && e.Properties.ContainsKey("Attempt"))
                .Select(e => (Scalar<double>(e, "DelayMs"), Scalar<int>(e, "Attempt")))
                .ToList();

        public string Dump() => string.Join(Environment.NewLine, _events.Select(e => $"{e.Timestamp.UtcDateTime:HH:mm:ss.fff} {e.Level} {e.RenderMessage(CultureInfo.InvariantCulture)}"));

        private static T Scalar<T>(LogEvent e, string name) =>
            (T)Convert.ChangeType(((ScalarValue)e.Properties[name]).Value!, typeof(T), CultureInfo.InvariantCulture);
    }
}
