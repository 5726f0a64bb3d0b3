using System.Text.Json;
using System.Text.Json.Serialization;
using KxCollector.Recording;
using Microsoft.Extensions.Logging;

namespace KxCollector.Backfill;

/// <summary>
/// Holes not yet filled, kept in OUTPUT_DIR (the daemon's lock covers it) so a daemon stopped while filling one
/// fills it on its next start, even though that start sees only its own, newer hole. Replaced atomically
/// (<see cref="AtomicFile"/>); a damaged file is set aside, not fatal.
/// </summary>
internal sealed partial class PendingGaps
{
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly List<(DateTimeOffset From, DateTimeOffset To)> _gaps = [];

    private PendingGaps(string path, ILogger logger)
    {
        _path = path;
        _logger = logger;
    }

    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Gaps => _gaps;

    public static string FileNameFor(string prefix) => $".kxcollector-gaps-{prefix}.json";

    public static PendingGaps Load(string directory, string prefix, ILogger logger)
    {
        var gaps = new PendingGaps(Path.Combine(directory, FileNameFor(prefix)), logger);
        if (!File.Exists(gaps._path))
        {
            return gaps;
        }

        try
        {
            var document = StateFileJson.Read(gaps._path, PendingGapsJsonContext.Instance.PendingGapsDocument);
            gaps._gaps.AddRange(document.Gaps.Select(g => (g.From, g.To)));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or IOException or UnauthorizedAccessException)
        {
            LogDamaged(logger, gaps._path, ex.Message);
            gaps._gaps.Clear();
            try
            {
                File.Move(gaps._path, gaps._path + ".damaged", overwrite: true);
            }
            catch (Exception moveError) when (moveError is IOException or UnauthorizedAccessException)
            {
                // The next save replaces it anyway.
            }
        }

        return gaps;
    }

    public void Add(DateTimeOffset from, DateTimeOffset to)
    {
        if (!_gaps.Contains((from, to)))
        {
            _gaps.Add((from, to));
            _gaps.Sort((a, b) => a.From.CompareTo(b.From));
        }
    }

    public void Remove(DateTimeOffset from, DateTimeOffset to) => _gaps.Remove((from, to));

    /// <summary>Writes the list; false (logged) when the disk refuses — the fill goes on, a restart may just not know.</summary>
    public bool Save()
    {
        var document = new PendingGapsDocument([.. _gaps.Select(g => new PendingGap(g.From, g.To))]);
        try
        {
            StateFileJson.Write(_path, document, PendingGapsJsonContext.Instance.PendingGapsDocument);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(_logger, _path, ex.Message);
            return false;
        }
    }

    private sealed record PendingGapsDocument(IReadOnlyList<PendingGap> Gaps);

    private sealed record PendingGap(DateTimeOffset From, DateTimeOffset To);

    [JsonSerializable(typeof(PendingGapsDocument))]
    private sealed partial class PendingGapsJsonContext : JsonSerializerContext
    {
        public static PendingGapsJsonContext Instance { get; } = new(StateFileJson.CreateOptions());
    }

    [LoggerMessage(EventId = 815, Level = LogLevel.Warning, Message = "Pending gaps file {Path} is damaged ({Reason}); set aside")]
    private static partial void LogDamaged(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 816, Level = LogLevel.Error, Message = "Cannot save the pending gaps file {Path}: {Reason}")]
    private static partial void LogSaveFailed(ILogger logger, string path, string reason);
}
