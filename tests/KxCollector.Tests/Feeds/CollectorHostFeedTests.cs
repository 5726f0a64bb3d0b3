using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using KxCollector.Fakes.Exchanges;
using KxCollector.Feeds;
using KxCollector.Hosting;
using KxCollector.Pricing;
using KxCollector.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace KxCollector.Tests.Feeds;

/// <summary>The real host (feeds, board, proxy, tick loop, writer) against the three fakes, read back from the tick file.</summary>
public sealed class CollectorHostFeedTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(8);

    private readonly TempDirectory _output = new();
    private readonly LogSink _log = new();
    private FakeCoinbase _coinbase = null!;
    private FakeKraken _kraken = null!;
    private FakeBitstamp _bitstamp = null!;
    private IHost _host = null!;
    private Logger _logger = null!;

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

        var options = FeedTestOptions.Create(_coinbase.Url, _kraken.Url, _bitstamp.Url, _output.Path);
        _logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(_log).CreateLogger();
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
        await _coinbase.DisposeAsync();
        await _kraken.DisposeAsync();
        await _bitstamp.DisposeAsync();
        _output.Dispose();
        faulted.Should().BeFalse("every service, the feeds included, ends cleanly on stop");
    }

    [Fact]
    public async Task Host_writes_ticks_with_each_exchanges_mid_and_their_median_as_brti()
    {
        await WaitForTickAsync(t => t is { Coinbase: 70000.2m, Kraken: 70010.5m, Bitstamp: 69990.5m }, "a tick with all three mids");

        var tick = Ticks().Last(t => t.Coinbase is not null && t.Kraken is not null && t.Bitstamp is not null);
        tick.Brti.Should().Be(70000.2m, "the median of the three mids");
        tick.Keys.Should().Equal("type", "ts", "brti", "official_index", "official_index_ts", "coinbase", "kraken", "bitstamp", "markets");
        _log.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Host_writes_null_for_a_silent_feed_after_the_stale_limit_and_its_price_again_once_it_recovers()
    {
        await WaitForTickAsync(t => t is { Coinbase: 70000.2m, Kraken: 70010.5m, Bitstamp: 69990.5m }, "a tick with all three mids");
        var silentAt = TimeProvider.System.GetUtcNow();

        _coinbase.Silent = true;
        await Poll.UntilAsync(() => _coinbase.ConnectionsAccepted >= 2, FeedTestOptions.SilenceTimeout + TimeSpan.FromSeconds(2), "Coinbase reconnected after its silence timeout", _log.Dump);
        await WaitForTickAsync(t => t is { Coinbase: null, Kraken: 70010.5m, Bitstamp: 69990.5m }, "a tick with Coinbase null while it is silent");

        var ticksWhileSilent = Ticks().Where(t => t.Ts > silentAt).ToArray();
        var firstNull = ticksWhileSilent.First(t => t.Coinbase is null);
        firstNull.Brti.Should().Be(70000.5m, "the mean of the two fresh mids");
        (firstNull.Ts - silentAt).Should().BeGreaterThan(FeedTestOptions.StaleAfter - TimeSpan.FromMilliseconds(200), "the old quote counts until it is stale");
        ticksWhileSilent.Where(t => t.Ts < silentAt + FeedTestOptions.StaleAfter - TimeSpan.FromMilliseconds(200))
            .Should().OnlyContain(t => t.Coinbase == 70000.2m, "a reconnect does not clear the board before the stale limit");

        _coinbase.SetQuote(70001m, 70002m);
        _coinbase.Silent = false;
        await WaitForTickAsync(t => t is { Coinbase: 70001.5m, Brti: 70001.5m }, "Coinbase's new mid after it spoke again");
        _host.Services.GetRequiredService<FeedHealthRegistry>()[Exchange.Coinbase].LastError.Should().Contain("no frame");
    }

    [Fact]
    public async Task Host_keeps_ticking_through_a_dropped_feed_and_records_its_price_after_the_reconnect()
    {
        await WaitForTickAsync(t => t is { Coinbase: 70000.2m, Kraken: 70010.5m, Bitstamp: 69990.5m }, "a tick with all three mids");

        _kraken.DropAllConnections();
        _kraken.SetQuote(70020m, 70021m);

        await WaitForTickAsync(t => t is { Kraken: 70020.5m, Brti: 70000.2m }, "Kraken's new mid after the reconnect");
        _host.Services.GetRequiredService<FeedHealthRegistry>()[Exchange.Kraken].Reconnects.Should().Be(1);
        var seconds = Ticks().Select(t => t.Ts.ToUnixTimeSeconds()).ToArray();
        seconds.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
        (seconds[^1] - seconds[0] + 1).Should().Be(seconds.Length, "no second is missing while a feed reconnects");
    }

    private Task WaitForTickAsync(Func<Tick, bool> condition, string what) =>
        Poll.UntilAsync(() => Ticks().Any(condition), Wait, what, () => string.Join(Environment.NewLine, Ticks().TakeLast(5)) + Environment.NewLine + _log.Dump());

    private List<Tick> Ticks()
    {
        var ticks = new List<Tick>();
        foreach (var file in Directory.GetFiles(_output.Path, "*.jsonl").Order(StringComparer.Ordinal))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0 && line[^1] == '}')
                {
                    ticks.Add(Tick.Parse(line));
                }
            }
        }

        return ticks;
    }

    private sealed record Tick(DateTimeOffset Ts, decimal? Brti, decimal? Coinbase, decimal? Kraken, decimal? Bitstamp, IReadOnlyList<string> Keys)
    {
        public static Tick Parse(string line)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return new Tick(
                DateTimeOffset.Parse(root.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture),
                Number(root, "brti"),
                Number(root, "coinbase"),
                Number(root, "kraken"),
                Number(root, "bitstamp"),
                root.EnumerateObject().Select(p => p.Name).ToArray());
        }

        public override string ToString() => $"{Ts:O} brti {Brti} coinbase {Coinbase} kraken {Kraken} bitstamp {Bitstamp}";

        private static decimal? Number(JsonElement root, string name) =>
            root.GetProperty(name).ValueKind == JsonValueKind.Null ? null : root.GetProperty(name).GetDecimal();
    }

    private sealed class LogSink : ILogEventSink
    {
        private readonly ConcurrentQueue<LogEvent> _events = new();

        public IEnumerable<string> Errors => _events.Where(e => e.Level >= LogEventLevel.Error).Select(e => e.RenderMessage(CultureInfo.InvariantCulture));

        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

        public string Dump() => string.Join(
            Environment.NewLine,
            _events.Select(e => $"{e.Timestamp.UtcDateTime:HH:mm:ss.fff} {e.Level} {e.RenderMessage(CultureInfo.InvariantCulture)}"));
    }
}
