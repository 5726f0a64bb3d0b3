using System.Text.Json;
using KxCollector.Recording;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi;

/// <summary>
/// What must survive a restart so every settlement is recorded exactly once: the markets being tracked (a result
/// can come a day after close), the settlements already written, one being written at the time of a crash, and
/// the last time the market list was seen (markets that closed after it are looked up on start). A small JSON
/// file in OUTPUT_DIR (<see cref="KalshiStateDocument"/>), replaced atomically (<see cref="AtomicFile"/>), never half-written.
/// Owned by the poll loop: not thread-safe.
/// </summary>
internal sealed partial class KalshiStateFile
{
    /// <summary>Written settlements are remembered this long; start-up look-ups never reach further back.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(8);

    private const int Version = 1;

    private readonly ILogger _logger;

    private KalshiStateFile(string path, ILogger logger)
    {
        Path = path;
        _logger = logger;
    }

    public string Path { get; }

    /// <summary>When the open-market list was last read successfully.</summary>
    public DateTimeOffset? Watermark { get; set; }

    /// <summary>Markets in the tick at the last save (open, or closed awaiting a result), with their close_time.</summary>
    public Dictionary<string, DateTimeOffset?> Tracked { get; } = new(StringComparer.Ordinal);

    /// <summary>Settlement lines written, by ticker, with the market's close_time (for pruning).</summary>
    public Dictionary<string, DateTimeOffset?> Written { get; } = new(StringComparer.Ordinal);

    /// <summary>A settlement line being written, by ticker, with the time it was stamped (which names its file).</summary>
    public Dictionary<string, DateTimeOffset> InFlight { get; } = new(StringComparer.Ordinal);

    public static string FileNameFor(string prefix) => $".kxcollector-kalshi-{prefix}.json";

    /// <summary>Loads the state, or starts empty when there is none. A damaged file is set aside, not fatal.</summary>
    public static KalshiStateFile Load(string directory, string prefix, ILogger logger)
    {
        var state = new KalshiStateFile(System.IO.Path.Combine(directory, FileNameFor(prefix)), logger);
        if (!File.Exists(state.Path))
        {
            return state;
        }

        try
        {
            var document = StateFileJson.Read(state.Path, KalshiStateJsonContext.Instance.KalshiStateDocument);
            state.Watermark = document.Watermark;
            foreach (var market in document.Tracked ?? [])
            {
                state.Tracked[market.Ticker] = market.CloseTime;
            }

            foreach (var market in document.Written ?? [])
            {
                state.Written[market.Ticker] = market.CloseTime;
            }

            foreach (var item in document.InFlight ?? [])
            {
                state.InFlight[item.Ticker] = item.Ts;
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or IOException or UnauthorizedAccessException)
        {
            var aside = state.Path + ".damaged";
            LogStateDamaged(logger, state.Path, aside, ex.Message);
            TryMove(state.Path, aside, logger);
            state.Tracked.Clear();
            state.Written.Clear();
            state.InFlight.Clear();
            state.Watermark = null;
        }

        return state;
    }

    /// <summary>Forgets written settlements of markets that closed before the retention period.</summary>
    public void Prune(DateTimeOffset now)
    {
        foreach (var (ticker, close) in Written.ToArray())
        {
            if (close is { } c && c < now - Retention)
            {
                Written.Remove(ticker);
            }
        }
    }

    /// <summary>Writes the file atomically. Returns false (and logs) when the disk refuses; the caller carries on.</summary>
    public bool Save()
    {
        var document = new KalshiStateDocument(
            Version,
            Watermark,
            Markets(Tracked),
            Markets(Written),
            [.. InFlight.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new KalshiStateInFlight(p.Key, p.Value))]);
        try
        {
            StateFileJson.Write(Path, document, KalshiStateJsonContext.Instance.KalshiStateDocument);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(_logger, Path, ex.Message);
            return false;
        }
    }

    private static List<KalshiStateMarket> Markets(Dictionary<string, DateTimeOffset?> markets) =>
        [.. markets.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new KalshiStateMarket(p.Key, p.Value))];

    private static void TryMove(string from, string to, ILogger logger)
    {
        try
        {
            File.Move(from, to, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in place; the next save overwrites it with a good state anyway.
            LogSaveFailed(logger, to, ex.Message);
        }
    }

    [LoggerMessage(EventId = 480, Level = LogLevel.Warning, Message = "Kalshi state file {Path} is damaged ({Reason}); moved to {Aside} and starting without it")]
    private static partial void LogStateDamaged(ILogger logger, string path, string aside, string reason);

    [LoggerMessage(EventId = 481, Level = LogLevel.Error, Message = "Cannot save the Kalshi state file {Path}: {Reason}; will retry on the next change")]
    private static partial void LogSaveFailed(ILogger logger, string path, string reason);
}
