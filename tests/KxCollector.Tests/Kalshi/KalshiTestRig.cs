using KxCollector.Records;
using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.Fakes.Kalshi;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Settlements;
using KxCollector.Recording;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using KxCollector.Pricing;

namespace KxCollector.Tests.Kalshi;

/// <summary>
/// One collector "process" over an output folder: the real writer, state file, recorder and tracker, with a
/// hand-driven clock and a scripted Kalshi. A second rig over the same folder is a restart.
/// </summary>
internal sealed class KalshiTestRig : IDisposable
{
    public const string Prefix = "kxbtc15m";

    /// <summary>The discard port on 127.0.0.1: a stream pointed here never connects.</summary>
    private static readonly Uri ClosedStream = new("ws://127.0.0.1:9/trade-api/ws/v2");

    /// <summary>The production defaults, for what the options against the fakes leave alone.</summary>
    private static readonly KalshiOptions Defaults = new() { Environment = "demo", ApiBaseUrl = new Uri(KalshiOptions.DemoApiUrl), WebSocketUrl = ClosedStream };

    public KalshiTestRig(string directory, FakeTimeProvider time, ScriptedMarketSource source, KalshiOptions? options = null)
    {
        Directory = directory;
        Time = time;
        Source = source;
        Writer = new DailyJsonlWriter(directory, Prefix, time, new AppendOnlyFileOpener(NullLogger<AppendOnlyFile>.Instance), NullLogger.Instance);
        State = KalshiStateFile.Load(directory, Prefix, Log);
        Recorder = new SettlementRecorder(Writer, History, State, directory, Prefix, Log, activity: Activity);
        Tracker = new MarketTracker(source, Board, Recorder, State, "KXBTC15M", options ?? Options(), time, Log, Activity);
    }

    public string Directory { get; }

    public FakeTimeProvider Time { get; }

    public ScriptedMarketSource Source { get; }

    public ListLogger Log { get; } = new();

    public DailyJsonlWriter Writer { get; }

    public BrtiHistory History { get; } = new();

    public KalshiActivity Activity { get; } = new();

    public MarketBoard Board { get; } = new();

    public KalshiStateFile State { get; }

    public SettlementRecorder Recorder { get; }

    public MarketTracker Tracker { get; }

    public static KalshiOptions Options() => new()
    {
        Environment = "demo",
        ApiBaseUrl = new Uri(KalshiOptions.DemoApiUrl),
        WebSocketUrl = new Uri(KalshiOptions.DemoWebSocketUrl),
        PollInterval = TimeSpan.FromSeconds(3),
        FastPollInterval = TimeSpan.FromSeconds(0.5),
        DiscoveryInterval = TimeSpan.FromSeconds(60),
    };

    /// <summary>
    /// Kalshi as the integration tests run it: REST at the fake <paramref name="rest"/>, the stream at the fake
    /// <paramref name="ws"/> (a closed port when null), signed with the test key when <paramref name="keyPath"/> is set,
    /// polls compressed to a second. The stream's timers are compressed only with a stream fake to talk to; without
    /// one they keep the production defaults. The named arguments are the overrides for what a test varies.
    /// </summary>
    public static KalshiOptions Options(
        FakeKalshiServer rest,
        FakeKalshiWebSocket? ws = null,
        string? keyPath = null,
        TimeSpan? fastPollInterval = null,
        TimeSpan? httpTimeout = null,
        TimeSpan? discoveryInterval = null,
        double? restRequestsPerSecond = null,
        TimeSpan? silenceTimeout = null,
        int? maxMarketsPerConnection = null)
    {
        ArgumentNullException.ThrowIfNull(rest);
        return new KalshiOptions
        {
            Environment = "demo",
            ApiBaseUrl = rest.ApiBaseUrl,
            WebSocketUrl = ws?.Url ?? ClosedStream,
            ApiKeyId = keyPath is null ? null : TestKeys.KeyId,
            PrivateKeyPath = keyPath,
            PollInterval = TimeSpan.FromSeconds(1),
            FastPollInterval = fastPollInterval ?? TimeSpan.FromSeconds(0.25),
            DiscoveryInterval = discoveryInterval ?? Defaults.DiscoveryInterval,
            HttpTimeout = httpTimeout ?? TimeSpan.FromSeconds(5),
            RestRequestsPerSecond = restRequestsPerSecond ?? Defaults.RestRequestsPerSecond,
            WebSocketSilenceTimeout = silenceTimeout ?? (ws is null ? Defaults.WebSocketSilenceTimeout : TimeSpan.FromSeconds(5)),
            WebSocketMaxMarketsPerConnection = maxMarketsPerConnection ?? Defaults.WebSocketMaxMarketsPerConnection,
            WebSocketReconnectBaseDelay = ws is null ? Defaults.WebSocketReconnectBaseDelay : TimeSpan.FromMilliseconds(200),
            WebSocketReconnectMaxDelay = ws is null ? Defaults.WebSocketReconnectMaxDelay : TimeSpan.FromSeconds(1),
        };
    }

    public IReadOnlyList<string> BoardTickers => Board.Current.Select(e => e.Ticker).ToList();

    /// <summary>Runs the poll loop as the service would, with the clock jumping to each requested poll time.</summary>
    public async Task RunUntilAsync(DateTimeOffset end, Action<DateTimeOffset>? afterEachPoll = null)
    {
        await Tracker.PollAsync(CancellationToken.None);
        afterEachPoll?.Invoke(Time.GetUtcNow());
        while (Tracker.NextPollAt <= end)
        {
            Time.SetUtcNow(Tracker.NextPollAt);
            await Tracker.PollAsync(CancellationToken.None);
            afterEachPoll?.Invoke(Time.GetUtcNow());
        }

        if (Time.GetUtcNow() < end)
        {
            Time.SetUtcNow(end);
        }
    }

    /// <summary>Feeds one tick per second over [from, to) into the history and the data file, as the tick loop does.</summary>
    public void Ticks(DateTimeOffset from, DateTimeOffset to, Func<DateTimeOffset, decimal?> brti)
    {
        for (var t = from; t < to; t = t.AddSeconds(1))
        {
            var ts = t.AddMilliseconds(1);
            var value = brti(t);
            History.Record(ts, value);
            var line = $"{{\"type\":\"tick\",\"ts\":\"{JsonTimestamps.ToText(ts)}\",\"brti\":{(value is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null")},\"markets\":[]}}";
            Writer.Append(ts, System.Text.Encoding.UTF8.GetBytes(line));
        }
    }

    /// <summary>Every settlement line in the folder's data files.</summary>
    public static List<JsonElement> SettlementLines(string directory) =>
        System.IO.Directory.GetFiles(directory, Prefix + "-*.jsonl")
            .OrderBy(f => f, StringComparer.Ordinal)
            .SelectMany(File.ReadAllLines)
            .Where(l => l.StartsWith("{\"type\":\"settlement\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToList();

    public void Dispose() => Writer.Dispose();
}
