using KxCollector.Configuration;
using KxCollector.Hosting;
using KxCollector.Store;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace KxCollector.Tests.Support;

/// <summary>
/// The real collector host as the integration tests build it: options over a test's folder, with the exchange feeds
/// on a closed port unless the test runs their fakes, on the system clock, logging into the test's sink.
/// </summary>
internal static class CollectorTestHost
{
    /// <summary>The discard port on 127.0.0.1: a feed pointed here never connects, so ticks carry null prices.</summary>
    public static readonly Uri ClosedPort = new("ws://127.0.0.1:9/");

    /// <summary>The collector's options around <paramref name="kalshi"/>; the named arguments are what a test varies.</summary>
    public static CollectorOptions Options(
        string outputDirectory,
        KalshiOptions kalshi,
        string seriesTicker = "KXBTC15M",
        IReadOnlyList<string>? series = null,
        int bookDepth = 0,
        int? healthPort = null,
        StoreOptions? store = null,
        SportsOptions? sports = null,
        CollectorSwitches? switches = null,
        (Uri Coinbase, Uri Kraken, Uri Bitstamp)? exchanges = null) => new()
    {
        OutputDirectory = outputDirectory,
        SeriesTicker = seriesTicker,
        Series = series ?? [],
        BookDepth = bookDepth,
        HealthPort = healthPort,
        Store = store,
        Sports = sports ?? new SportsOptions(),
        Switches = switches ?? CollectorSwitches.AllOn,
        FeedStaleAfter = TimeSpan.FromSeconds(5),
        FeedSilenceTimeout = TimeSpan.FromSeconds(10),
        CoinbaseWebSocketUrl = exchanges?.Coinbase ?? ClosedPort,
        KrakenWebSocketUrl = exchanges?.Kraken ?? ClosedPort,
        BitstampWebSocketUrl = exchanges?.Bitstamp ?? ClosedPort,
        Kalshi = kalshi,
    };

    /// <summary>The host over <paramref name="options"/>, its Serilog events at <paramref name="level"/> and up into <paramref name="sink"/> (none: nowhere).</summary>
    public static IHost Build(CollectorOptions options, ILogEventSink? sink = null, LogEventLevel level = LogEventLevel.Information)
    {
        var logger = new LoggerConfiguration().MinimumLevel.Is(level);
        if (sink is not null)
        {
            logger = logger.WriteTo.Sink(sink);
        }

        return CollectorHost.CreateBuilder(options, logger.CreateLogger(), TimeProvider.System).Build();
    }
}
