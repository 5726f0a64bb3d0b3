using System.Text.Json;
using KxCollector.Fakes.Exchanges;
using KxCollector.Tests.Support;
using KxCollector.Verification;

namespace KxCollector.Tests.Resilience;

/// <summary>
/// SIGTERM while every venue streams thousands of messages a second at the real process: a clean exit (0) well
/// inside systemd's stop timeout, a whole last line, and a file that verifies clean.
/// </summary>
public sealed class HeavyTrafficShutdownTests : IAsyncLifetime
{
    private const double Rate = 2000;

    /// <summary>The host's own shutdown timeout (CollectorHost.ShutdownTimeout); the unit's TimeoutStopSec is 30 s.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _dir = new();
    private FakeExchange[] _fakes = [];

    public async Task InitializeAsync()
    {
        _fakes = [await FakeCoinbase.StartAsync(), await FakeKraken.StartAsync(), await FakeBitstamp.StartAsync()];
        foreach (var fake in _fakes)
        {
            fake.QuotesPerSecond = Rate;
            fake.SetQuote(70000m, 70001m);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var fake in _fakes)
        {
            await fake.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Sigterm_under_2000_messages_a_second_per_venue_exits_0_promptly_with_a_whole_last_line()
    {
        var data = _dir.Combine("data");
        using var process = CollectorProcess.Start(_dir.Path, OfflineSettings.For(
            data,
            ("COINBASE_WS_URL", _fakes[0].Url.ToString()),
            ("KRAKEN_WS_URL", _fakes[1].Url.ToString()),
            ("BITSTAMP_WS_URL", _fakes[2].Url.ToString())));
        await Poll.UntilAsync(
            () => _fakes.All(f => f.QuotesSent > 3 * Rate / 2) || process.HasExited,
            TimeSpan.FromSeconds(30),
            () => $"every fake has streamed a few seconds' worth (sent: {string.Join(", ", _fakes.Select(f => f.QuotesSent))}); stderr: {process.StandardError}");
        process.HasExited.Should().BeFalse(process.StandardError);
        var sentBefore = _fakes.Sum(f => f.QuotesSent);
        var streamingSince = TimeProvider.System.GetTimestamp();
        await Poll.UntilAsync(() => RecordedTicks.Read(data).Count >= 3, TimeSpan.FromSeconds(10), () => "three ticks");
        var achieved = (_fakes.Sum(f => f.QuotesSent) - sentBefore) / TimeProvider.System.GetElapsedTime(streamingSince).TotalSeconds;

        var signalledAt = TimeProvider.System.GetTimestamp();
        process.SendSignal(CollectorProcess.SigTerm);
        var exit = await process.WaitForExitAsync(StopTimeout + TimeSpan.FromSeconds(5));
        var stoppedIn = TimeProvider.System.GetElapsedTime(signalledAt);

        exit.Should().Be(0, process.StandardError);
        stoppedIn.Should().BeLessThan(StopTimeout, "the stop finishes well before the host's timeout, let alone systemd's");
        achieved.Should().BeGreaterThan(1000, "the traffic really was heavy: messages a second over all three venues just before the stop");
        process.StandardOutput.Should().Contain("Stopped cleanly");

        var file = Directory.GetFiles(data, "*.jsonl").Should().ContainSingle().Subject;
        var bytes = File.ReadAllBytes(file);
        bytes[^1].Should().Be((byte)'\n', "the last line is whole");
        var lastLine = System.Text.Encoding.UTF8.GetString(bytes).TrimEnd('\n').Split('\n')[^1];
        var parse = () => JsonDocument.Parse(lastLine).Dispose();
        parse.Should().NotThrow("the last line is a whole JSON record");
        var report = DataFileVerifier.Verify(file);
        report.UnparseableLineCount.Should().Be(0);
        report.MissingSeconds.Should().Be(0);
        report.DuplicatedSeconds.Should().Be(0);
        report.Ticks.Should().BeGreaterThanOrEqualTo(3);
        RecordedTicks.Read(data)[^1].Price("brti").Should().Be(70000.5m, "prices flowed to the last tick");
    }
}
