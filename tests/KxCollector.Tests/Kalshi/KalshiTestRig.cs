using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Settlements;
using KxCollector.Recording;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Kalshi;

/// <summary>
/// One collector "process" over an output folder: the real writer, state file, recorder and tracker, with a
/// hand-driven clock and a scripted Kalshi. A second rig over the same folder is a restart.
/// </summary>
internal sealed class KalshiTestRig : IDisposable
{
    public const string Prefix = "kxbtc15m";

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
