using System.Text;
using System.Text.Json;
using KxCollector.Archive;
using KxCollector.Recording;

using KxCollector.Records;

namespace KxCollector.Recording;

/// <summary>
/// The hole the collector left while it was not running: from the last tick in the data files to this start.
/// Read once, as the host is built and before the first new tick is written, so the new ticks cannot hide it.
/// </summary>
internal sealed record Downtime(DateTimeOffset LastTick, DateTimeOffset Restart)
{
    /// <summary>Shorter stops (a quick restart) leave nothing worth a backfill: the tick loop itself spans a second.</summary>
    public static readonly TimeSpan MinimumGap = TimeSpan.FromSeconds(5);

    /// <summary>Gap filling never reaches back further than this; older holes are for `kxcollector backfill`.</summary>
    public static readonly TimeSpan MaximumReach = TimeSpan.FromDays(7);

    /// <summary>How far back from the end of a file to look for its last tick (other records may follow it).</summary>
    private const int TailBytes = 1 << 20;

    public TimeSpan Length => Restart - LastTick;

    /// <summary>The part of the hole gap filling covers: at most <see cref="MaximumReach"/>.</summary>
    public DateTimeOffset FillFrom => Restart - LastTick > MaximumReach ? Restart - MaximumReach : LastTick;

    /// <summary>True when the instant fell in the hole: the collector did not see it live.</summary>
    public bool Covers(DateTimeOffset instant) => instant > LastTick && instant <= Restart;

    /// <summary>The downtime before <paramref name="now"/>, or null on a first start or after a stop too short to matter.</summary>
    public static Downtime? Detect(string directory, string prefix, DateTimeOffset now)
    {
        if (FindLastTick(directory, prefix) is not { } last || now - last < MinimumGap)
        {
            return null;
        }

        return new Downtime(last, now);
    }

    /// <summary>The ts of the newest tick in the newest daily files (the two latest, in case today's holds none yet).</summary>
    public static DateTimeOffset? FindLastTick(string directory, string prefix)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        // Finished days may be compressed (.jsonl.gz): the newest file is then yesterday's .gz when today has no file yet.
        var files = DayFiles.List(directory, DayFileName.GlobOf(prefix))
            .Select(path => (Path: path, Parsed: DayFileName.TryParse(path, prefix, out var name), name.Date))
            .Where(f => f.Parsed)
            .OrderByDescending(f => f.Date)
            .Take(2);
        foreach (var (path, _, _) in files)
        {
            if (LastTickIn(path) is { } ts)
            {
                return ts;
            }
        }

        return null;
    }

    private static DateTimeOffset? LastTickIn(string path)
    {
        if (DayFileName.IsCompressed(path))
        {
            return LastTickInCompressed(path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = Math.Max(0, stream.Length - TailBytes);
        var buffer = new byte[stream.Length - start];
        stream.Position = start;
        stream.ReadExactly(buffer);
        var text = Encoding.UTF8.GetString(buffer);
        var lines = text.Split('\n');
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = lines[i];
            if (!line.StartsWith(TickRecord.LinePrefixText, StringComparison.Ordinal))
            {
                continue;
            }

            // A torn last line (the crash that caused the downtime) does not parse: the one before it is the last real tick.
            if (TickTime(line) is { } ts)
            {
                return ts;
            }
        }

        return null;
    }

    /// <summary>A .gz cannot be read from its end: its lines are read in order and the last tick kept.</summary>
    private static DateTimeOffset? LastTickInCompressed(string path)
    {
        using var reader = new StreamReader(DayFiles.OpenRead(path), Encoding.UTF8);
        string? lastTick = null;
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith(TickRecord.LinePrefixText, StringComparison.Ordinal))
            {
                lastTick = line;
            }
        }

        return lastTick is null ? null : TickTime(lastTick);
    }

    private static DateTimeOffset? TickTime(string line)
    {
        try
        {
            return RecordReader.Open(Encoding.UTF8.GetBytes(line), TickRecord.Type).Time(RecordJson.Ts);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
