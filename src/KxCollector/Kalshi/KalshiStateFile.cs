using System.Text.Json;
using KxCollector.Recording;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi;

/// <summary>
/// What must survive a restart so every settlement is recorded exactly once: the markets being tracked (a result
/// can come a day after close), the settlements already written, one being written at the time of a crash, and
/// the last time the market list was seen (markets that closed after it are looked up on start). A small JSON
/// file in OUTPUT_DIR, replaced atomically (temp file, fsync, rename, directory fsync), never half-written.
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
            using var doc = JsonDocument.Parse(File.ReadAllBytes(state.Path));
            var root = doc.RootElement;
            if (root.TryGetProperty("watermark", out var watermark) && watermark.ValueKind == JsonValueKind.String)
            {
                state.Watermark = watermark.GetDateTimeOffset();
            }

            ReadMarkets(root, "tracked", state.Tracked);
            ReadMarkets(root, "written", state.Written);
            if (root.TryGetProperty("in_flight", out var inFlight) && inFlight.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in inFlight.EnumerateArray())
                {
                    state.InFlight[item.GetProperty("ticker").GetString()!] = item.GetProperty("ts").GetDateTimeOffset();
                }
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
        var temp = Path + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("version", Version);
                    if (Watermark is { } watermark)
                    {
                        JsonTimestamps.Write(writer, "watermark", watermark);
                    }

                    WriteMarkets(writer, "tracked", Tracked);
                    WriteMarkets(writer, "written", Written);
                    writer.WriteStartArray("in_flight");
                    foreach (var (ticker, ts) in InFlight.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        writer.WriteStartObject();
                        writer.WriteString("ticker", ticker);
                        JsonTimestamps.Write(writer, "ts", ts);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
            DirectorySync.TryFsync(System.IO.Path.GetDirectoryName(Path)!);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(_logger, Path, ex.Message);
            return false;
        }
    }

    private static void ReadMarkets(JsonElement root, string name, Dictionary<string, DateTimeOffset?> into)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var item in array.EnumerateArray())
        {
            var close = item.TryGetProperty("close_time", out var c) && c.ValueKind == JsonValueKind.String ? c.GetDateTimeOffset() : (DateTimeOffset?)null;
            into[item.GetProperty("ticker").GetString()!] = close;
        }
    }

    private static void WriteMarkets(Utf8JsonWriter writer, string name, Dictionary<string, DateTimeOffset?> markets)
    {
        writer.WriteStartArray(name);
        foreach (var (ticker, close) in markets.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("ticker", ticker);
            if (close is { } c)
            {
                JsonTimestamps.Write(writer, "close_time", c);
            }
            else
            {
                writer.WriteNull("close_time");
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

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
