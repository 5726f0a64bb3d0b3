using System.Collections.Concurrent;
using KxCollector.Configuration;
using KxCollector.Feeds;
using Microsoft.Extensions.Logging;

namespace KxCollector.Tests.Feeds;

/// <summary>Options and timings for feed tests: production shapes, windows short enough for a fast suite.</summary>
internal static class FeedTestOptions
{
    public static readonly TimeSpan SilenceTimeout = TimeSpan.FromSeconds(1.5);
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(2);

    /// <summary>Backoff kept small so a reconnect never waits long; the handshake timeout still bounds a hung connect.</summary>
    public static readonly FeedTimings FastTimings = new()
    {
        HandshakeTimeout = TimeSpan.FromSeconds(3),
        BackoffBase = TimeSpan.FromMilliseconds(100),
        BackoffCap = TimeSpan.FromMilliseconds(500),
        StablePeriod = TimeSpan.FromSeconds(30),
        BitstampHeartbeatInterval = TimeSpan.FromSeconds(2),
    };

    public static CollectorOptions Create(Uri coinbase, Uri kraken, Uri bitstamp, string outputDirectory, TimeSpan? silence = null) => new()
    {
        OutputDirectory = outputDirectory,
        SeriesTicker = "KXBTC15M",
        FeedStaleAfter = StaleAfter,
        FeedSilenceTimeout = silence ?? SilenceTimeout,
        CoinbaseWebSocketUrl = coinbase,
        KrakenWebSocketUrl = kraken,
        BitstampWebSocketUrl = bitstamp,
        Kalshi = new KalshiOptions
        {
            Environment = "demo",
            ApiBaseUrl = new Uri(KalshiOptions.DemoApiUrl),
            WebSocketUrl = new Uri(KalshiOptions.DemoWebSocketUrl),
        },
    };
}

/// <summary>Polls a condition until it holds or a deadline passes; integration tests wait on facts, never on fixed sleeps.</summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? diagnostics = null)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Not within {timeout.TotalSeconds:0.#} s: {what}{(diagnostics is null ? "" : Environment.NewLine + diagnostics())}");
            }

            await Task.Delay(Interval);
        }
    }
}

/// <summary>An ILogger that keeps what was logged, for assertions on levels, event ids and rate limits.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => _entries.ToArray();

    public LogLevel MinimumLevel { get; set; } = LogLevel.Trace;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= MinimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            _entries.Enqueue(new Entry(logLevel, eventId.Id, formatter(state, exception)));
        }
    }

    public string Dump() => string.Join(Environment.NewLine, _entries.Select(e => $"{e.Level} {e.EventId} {e.Message}"));

    public sealed record Entry(LogLevel Level, int EventId, string Message);
}
