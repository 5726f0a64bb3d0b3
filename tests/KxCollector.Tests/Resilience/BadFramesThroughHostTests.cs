using KxCollector.Fakes.Exchanges;
using KxCollector.Feeds;
using KxCollector.Hosting;
using KxCollector.Pricing;
using KxCollector.Tests.Feeds;
using KxCollector.Tests.Support;
using KxCollector.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Core;
using Poll = KxCollector.Tests.Support.Poll;

namespace KxCollector.Tests.Resilience;

/// <summary>
/// Every kind of bad message at all three venues at once, through the real host (feeds, board, ticks, writer):
/// each is counted and skipped, no connection is lost, a valid 1 MB message split over 256 WebSocket frames is
/// read and recorded, and the file verifies clean. The per-feed cases, one venue at a time, are in
/// Feeds/ExchangeFeedIntegrationTests; this is what the recorder as a whole makes of them.
/// </summary>
public sealed class BadFramesThroughHostTests : IAsyncLifetime
{
    private const int Megabyte = 1024 * 1024;
    private readonly TempDirectory _output = new();
    private FakeExchange[] _fakes = [];
    private IHost _host = null!;
    private Logger _logger = null!;

    public async Task InitializeAsync()
    {
        _fakes = [await FakeCoinbase.StartAsync(), await FakeKraken.StartAsync(), await FakeBitstamp.StartAsync()];
        foreach (var fake in _fakes)
        {
            fake.QuotesPerSecond = 20;
            fake.SetQuote(70000m, 70001m);
        }

        var options = FeedTestOptions.Create(_fakes[0].Url, _fakes[1].Url, _fakes[2].Url, _output.Path);
        _logger = new LoggerConfiguration().CreateLogger();
        var builder = CollectorHost.CreateBuilder(options, _logger, TimeProvider.System);
        builder.Services.AddSingleton(FeedTestOptions.FastTimings);
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _host.StopAsync(stop.Token);
        }

        var faulted = CollectorHost.AnyServiceFaulted(_host);
        _host.Dispose();
        await _logger.DisposeAsync();
        foreach (var fake in _fakes)
        {
            await fake.DisposeAsync();
        }

        _output.Dispose();
        faulted.Should().BeFalse("bad frames never fault a service");
    }

    [Fact]
    public async Task Garbage_truncated_wrongly_typed_and_megabyte_frames_are_counted_and_skipped_and_a_split_megabyte_quote_is_recorded()
    {
        var registry = _host.Services.GetRequiredService<FeedHealthRegistry>();
        await WaitForTickAsync(70000.5m, "the fakes' first quotes");

        foreach (var fake in _fakes)
        {
            fake.QuotesPaused = true;
            await fake.SendGarbageAsync();
            await fake.SendTruncatedQuoteAsync();
            await fake.SendWrongTypesAsync();
            await fake.SendToAllAsync(Junk(Megabyte), fragments: 16);
            await fake.SendLargeQuoteAsync(71000m, 71001m, totalBytes: Megabyte, fragments: 256);
        }

        await WaitForTickAsync(71000.5m, "the quotes from the split 1 MB messages");
        foreach (var exchange in new[] { Exchange.Coinbase, Exchange.Kraken, Exchange.Bitstamp })
        {
            registry[exchange].MalformedFrames.Should().Be(4, $"{exchange}: garbage, truncated, wrong types and 1 MB of junk, each counted once");
            registry[exchange].Reconnects.Should().Be(0, $"{exchange}: bad frames never cost the connection");
        }

        _fakes.Should().OnlyContain(f => f.ConnectionsAccepted == 1);

        foreach (var fake in _fakes)
        {
            fake.SetQuote(70100m, 70101m);
            fake.QuotesPaused = false;
        }

        await WaitForTickAsync(70100.5m, "ordinary quotes after the bad ones");
        var report = Directory.GetFiles(_output.Path, "*.jsonl").Select(DataFileVerifier.Verify).Single();
        report.UnparseableLineCount.Should().Be(0);
        report.MissingSeconds.Should().Be(0, "the tick loop never waited on a feed chewing a megabyte");
        report.DuplicatedSeconds.Should().Be(0);
    }

    /// <summary>Bytes that are not JSON, one megabyte of them.</summary>
    private static byte[] Junk(int length)
    {
        var junk = new byte[length];
        junk.AsSpan().Fill((byte)'#');
        return junk;
    }

    /// <summary>Waits for a tick in which all three venues (and so brti) show this mid.</summary>
    private Task WaitForTickAsync(decimal mid, string what) =>
        Poll.UntilAsync(
            () => RecordedTicks.Read(_output.Path).Any(t => t.Price("coinbase") == mid && t.Price("kraken") == mid && t.Price("bitstamp") == mid),
            TimeSpan.FromSeconds(10),
            () => $"a tick with every venue at {what} ({mid}); last: {RecordedTicks.Read(_output.Path).LastOrDefault()}");
}
