using KxCollector.Fakes.Exchanges;
using KxCollector.Feeds;
using KxCollector.Feeds.Bitstamp;
using KxCollector.Feeds.Coinbase;
using KxCollector.Feeds.Kraken;
using KxCollector.Pricing;
using Microsoft.Extensions.Logging;

using KxCollector.Tests.Support;
using KxCollector.Configuration;

namespace KxCollector.Tests.Feeds;

/// <summary>One real feed against its venue's fake over a real loopback socket, on the system clock.</summary>
internal sealed class FeedRig : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private FeedRig(FakeExchange fake, ExchangeFeed feed, PriceBoard board, FeedHealth health, ListLogger<ExchangeFeed> logger)
    {
        Fake = fake;
        Feed = feed;
        Board = board;
        Health = health;
        Logger = logger;
    }

    public FakeExchange Fake { get; }

    public ExchangeFeed Feed { get; }

    public PriceBoard Board { get; }

    public FeedHealth Health { get; }

    public ListLogger<ExchangeFeed> Logger { get; }

    public decimal? Mid => Board.Read(Feed.Exchange)?.Mid;

    /// <summary>Starts the fake with a quote, then the feed; returns once the feed has published the fake's mid.</summary>
    public static async Task<FeedRig> StartAsync(string venue, FeedTimings? timings = null, Action<FakeExchange>? configureFake = null)
    {
        FakeExchange fake = venue switch
        {
            "coinbase" => await FakeCoinbase.StartAsync(),
            "kraken" => await FakeKraken.StartAsync(),
            "bitstamp" => await FakeBitstamp.StartAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(venue), venue, null),
        };
        fake.QuotesPerSecond = 20;
        fake.SetQuote(70000.10m, 70000.30m);
        configureFake?.Invoke(fake);

        var options = FeedTestOptions.Create(fake.Url, fake.Url, fake.Url, "/nonexistent");
        var board = new PriceBoard();
        var registry = new FeedHealthRegistry();
        var logger = new ListLogger<ExchangeFeed>();
        var time = TimeProvider.System;
        timings ??= FeedTestOptions.FastTimings;
        ExchangeFeed feed = venue switch
        {
            "coinbase" => new CoinbaseFeed(options, board, registry, time, timings, new Forwarding<CoinbaseFeed>(logger)),
            "kraken" => new KrakenFeed(options, board, registry, time, timings, new Forwarding<KrakenFeed>(logger)),
            _ => new BitstampFeed(options, board, registry, time, timings, new Forwarding<BitstampFeed>(logger)),
        };

        var rig = new FeedRig(fake, feed, board, registry[feed.Exchange], logger);
        await feed.StartAsync(CancellationToken.None);
        return rig;
    }

    public Task WaitForMidAsync(decimal mid, string? because = null, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => Mid == mid, timeout ?? TimeSpan.FromSeconds(5), $"{Fake.Name} mid {mid} on the board{(because is null ? "" : " " + because)} (board: {Mid})", Diagnostics);

    public Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Poll.UntilAsync(condition, timeout ?? TimeSpan.FromSeconds(5), what, Diagnostics);

    public string Diagnostics() =>
        $"fake: accepted {Fake.ConnectionsAccepted}, subscriptions {Fake.Subscriptions}, open {Fake.OpenConnections}; " +
        $"health: connected {Health.Connected}, reconnects {Health.Reconnects}, malformed {Health.MalformedFrames}, frames {Health.FramesReceived}, last error {Health.LastError}" +
        Environment.NewLine + Logger.Dump();

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(StopTimeout))
        {
            await Feed.StopAsync(stop.Token);
        }

        Feed.Dispose();
        await Fake.DisposeAsync();
        if (Feed.ExecuteTask is { IsCompletedSuccessfully: false } task)
        {
            throw new InvalidOperationException($"The feed did not end cleanly on stop: {task.Status}", task.Exception);
        }
    }

    /// <summary>Lets one recording logger serve whichever typed logger a feed's constructor asks for.</summary>
    private sealed class Forwarding<T>(ILogger inner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
