using System.Text;
using KxCollector.Recording;
using Microsoft.Extensions.Logging;

namespace KxCollector.Backfill;

/// <summary>
/// The backfill's files for one series: <c>OUTPUT_DIR/backfill/&lt;SERIES&gt;/&lt;prefix&gt;-&lt;kind&gt;-YYYY-MM-DD.jsonl</c>
/// (kind: markets, trades, candles-1m/1h/1d; the UTC date of each record's "ts").
/// <para>How "interrupted anywhere, never written twice" holds:</para>
/// <list type="number">
/// <item>Work is done in units (one market's record, its trades, its candles). A unit's records are fetched in
/// full, sorted, then appended — each file's share in one write — and fsynced.</item>
/// <item>Only then is the unit's name appended to the journal <c>.backfill-done</c> (and fsynced). A rerun skips
/// journaled units, so a finished unit is never fetched again.</item>
/// <item>A unit interrupted after some of its records reached a file (kill -9 between two files, a full disk) is not
/// in the journal and is done again. Every record is keyed (<see cref="BackfillKeys"/>); before a file is first
/// written in a process its keys are read back, and a record whose key is there is skipped. The rerun therefore
/// appends exactly the missing records, in the same order an uninterrupted run would have: the files end up
/// byte for byte the same.</item>
/// <item>A torn last line (power loss mid-write) is cut off when the file is first opened; its record is missing from
/// the keys and written again. The same holds for a torn journal line (its unit is simply redone).</item>
/// </list>
/// The keys also make reruns over overlapping ranges and the daemon's gap filling (same files) write each record
/// once. One writer at a time: the folder has its own lock (<see cref="OutputDirectoryLock"/>), separate from the
/// daemon's, so `kxcollector backfill` can run beside a recording collector.
/// </summary>
internal sealed partial class BackfillStore : IDisposable
{
    public const string JournalName = ".backfill-done";

    /// <summary>Files whose keys stay in memory; a unit touches at most two days of a kind.</summary>
    private const int MaxCachedKeySets = 8;

    private readonly OutputDirectoryLock _lock;
    private readonly string _prefix;
    private readonly ILogger _logger;
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<UInt128>> _keys = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _keyOrder = new();
    private readonly string _journalPath;

    private BackfillStore(OutputDirectoryLock folderLock, string directory, string prefix, ILogger logger)
    {
        _lock = folderLock;
        Directory = directory;
        _prefix = prefix;
        _logger = logger;
        _journalPath = Path.Combine(directory, JournalName);
        LoadJournal();
    }

    public string Directory { get; }

    /// <summary>Opens the series' folder, or returns null (with the holder's PID when known) if another process has it.</summary>
    public static BackfillStore? TryOpen(string outputDirectory, string series, ILogger logger, out string? holderPid)
    {
        var directory = DayFileName.BackfillDirectoryOf(outputDirectory, series);
        System.IO.Directory.CreateDirectory(directory);
        var folderLock = OutputDirectoryLock.TryAcquire(directory, out holderPid);
        return folderLock is null ? null : new BackfillStore(folderLock, directory, DayFileName.PrefixOf(series), logger);
    }

    public bool IsDone(string unit) => _done.Contains(unit);

    /// <summary>Notes a unit as complete; call only after <see cref="Append"/> returned for all of its records.</summary>
    public void MarkDone(string unit)
    {
        using (var stream = new FileStream(_journalPath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0))
        {
            stream.Write(Encoding.UTF8.GetBytes(unit + "\n"));
            stream.Flush(flushToDisk: true);
        }

        _done.Add(unit);
    }

    /// <summary>
    /// Appends the records not already in their files, in the order given, and fsyncs the files touched.
    /// Returns how many were written and how many were already there.
    /// </summary>
    public (int Written, int Present) Append(string kind, IEnumerable<(DateTimeOffset Ts, byte[] Line)> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var pending = new Dictionary<string, MemoryStream>(StringComparer.Ordinal);
        var order = new List<string>();
        int written = 0, present = 0;
        foreach (var (ts, line) in records)
        {
            var path = Path.Combine(Directory, DayFileName.OfBackfill(_prefix, kind, DateOnly.FromDateTime(ts.UtcDateTime)));
            var keys = KeysOf(path);
            var key = BackfillKeys.Of(line) ?? throw new InvalidOperationException("a backfill record without a key");
            if (!keys.Add(key))
            {
                present++;
                continue;
            }

            if (!pending.TryGetValue(path, out var buffer))
            {
                buffer = new MemoryStream();
                pending[path] = buffer;
                order.Add(path);
            }

            buffer.Write(line);
            buffer.WriteByte((byte)'\n');
            written++;
        }

        try
        {
            foreach (var path in order)
            {
                var existed = File.Exists(path);
                using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0))
                {
                    // One write per file: a kill leaves a unit's share of a file whole or absent (a disk that fills
                    // mid-write can still tear it; the next open cuts the torn line off).
                    stream.Write(pending[path].GetBuffer(), 0, (int)pending[path].Length);
                    stream.Flush(flushToDisk: true);
                }

                if (!existed)
                {
                    DirectorySync.TryFsync(Directory);
                }
            }
        }
        catch
        {
            // The keys were noted before the write; forget them so the file is read back before its next use.
            foreach (var path in order)
            {
                _keys.Remove(path);
                _keyOrder.Remove(path);
            }

            throw;
        }

        return (written, present);
    }

    public void Dispose() => _lock.Dispose();

    private HashSet<UInt128> KeysOf(string path)
    {
        if (_keys.TryGetValue(path, out var keys))
        {
            _keyOrder.Remove(path);
            _keyOrder.AddFirst(path);
            return keys;
        }

        keys = [];
        if (File.Exists(path))
        {
            RepairTornTail(path);
            foreach (var line in ReadLines(path))
            {
                if (BackfillKeys.Of(line.Span) is { } key)
                {
                    keys.Add(key);
                }
            }
        }

        _keys[path] = keys;
        _keyOrder.AddFirst(path);
        while (_keyOrder.Count > MaxCachedKeySets)
        {
            _keys.Remove(_keyOrder.Last!.Value);
            _keyOrder.RemoveLast();
        }

        return keys;
    }

    private void LoadJournal()
    {
        if (!File.Exists(_journalPath))
        {
            return;
        }

        RepairTornTail(_journalPath);
        foreach (var line in ReadLines(_journalPath))
        {
            if (line.Length > 0)
            {
                _done.Add(Encoding.UTF8.GetString(line.Span));
            }
        }
    }

    /// <summary>Cuts a file back to its last newline: the fragment is a record that will be fetched and written again.</summary>
    private void RepairTornTail(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        var length = stream.Length;
        if (length == 0)
        {
            return;
        }

        var buffer = new byte[Math.Min(length, 64 * 1024)];
        var end = length;
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            var count = (int)(end - start);
            stream.Position = start;
            stream.ReadExactly(buffer, 0, count);
            var newline = buffer.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                var keep = start + newline + 1;
                if (keep != length)
                {
                    stream.SetLength(keep);
                    stream.Flush(flushToDisk: true);
                    LogTornTail(_logger, path, length - keep);
                }

                return;
            }

            end = start;
        }

        stream.SetLength(0);
        stream.Flush(flushToDisk: true);
        LogTornTail(_logger, path, length);
    }

    private static IEnumerable<ReadOnlyMemory<byte>> ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1 << 16);
        foreach (var (_, line) in JsonlLines.Read(stream))
        {
            yield return line;
        }
    }

    [LoggerMessage(EventId = 820, Level = LogLevel.Warning, Message = "{Path} ended in a torn line ({Bytes} bytes, a crash mid-write); cut off, its record is fetched again")]
    private static partial void LogTornTail(ILogger logger, string path, long bytes);
}
