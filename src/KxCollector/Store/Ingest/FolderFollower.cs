using KxCollector.Archive;
using KxCollector.Store.Records;
using KxCollector.Recording;

namespace KxCollector.Store.Ingest;

/// <summary>
/// Follows every <c>*.jsonl</c> file under the data folder (the daily files, and any others such as the backfill's)
/// as they grow, from the positions last saved in the database, older days first. Reads only whole lines into a
/// batch; positions advance for real only when <see cref="Commit"/> says the batch is in the database.
/// After a failed write the follower is thrown away and rebuilt from the saved positions, which are the truth.
/// A finished day compressed to <c>.jsonl.gz</c> stays the same file to the follower (same name, same position in its
/// uncompressed bytes): a file half stored when it was compressed is finished from the .gz, no line twice or lost.
/// </summary>
internal sealed class FolderFollower : IDisposable
{
    /// <summary>How often the folder is listed for new files; in between, only files that may grow are looked at.</summary>
    public static readonly TimeSpan FullScanInterval = TimeSpan.FromSeconds(2);

    private static readonly EnumerationOptions Enumeration = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        MatchType = MatchType.Simple,
        AttributesToSkip = FileAttributes.Hidden,
    };

    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, TrackedFile> _files = new(StringComparer.Ordinal);
    private List<TrackedFile> _ordered = [];
    private long? _lastFullScan;

    public FolderFollower(string root, IReadOnlyDictionary<string, FileProgress> saved, TimeProvider time)
    {
        _root = root;
        _time = time;
        foreach (var (name, progress) in saved)
        {
            _files[name] = new TrackedFile(name, Path.Combine(root, name), progress, inDatabase: true);
        }
    }

    /// <summary>A file whose saved position lies beyond its end (replaced or truncated by hand): read again from the start.</summary>
    public event Action<string, long, long>? FileShrank;

    /// <summary>A compressed file that cannot be read to its end (corrupt, truncated): named once, then left alone.</summary>
    public event Action<string, string>? FileUnreadable;

    /// <summary>Bytes in the files that are not in the database yet (whole or partial lines).</summary>
    public long PendingBytes => _files.Values.Sum(f => f.Pending);

    /// <summary>Files being followed (those listed in the folder).</summary>
    public int FileCount => _ordered.Count;

    /// <summary>Brings the files' lengths up to date: the whole folder every <see cref="FullScanInterval"/>, else the files that may grow.</summary>
    public void Refresh()
    {
        if (_lastFullScan is null || _time.GetElapsedTime(_lastFullScan.Value) >= FullScanInterval)
        {
            ScanFolder();
            _lastFullScan = _time.GetTimestamp();
            return;
        }

        var yesterday = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime).AddDays(-1);
        foreach (var file in _ordered)
        {
            if (file.Day is null || file.Day >= yesterday || file.ReadOffset < file.Length)
            {
                file.RefreshLength();
            }
        }
    }

    /// <summary>
    /// Reads whole lines into <paramref name="batch"/> until it holds <paramref name="maxRows"/> rows or every file is
    /// read to its last '\n'. <paramref name="onSkipped"/> hears of each line that gave no row (file, line number, why).
    /// </summary>
    public void Fill(StoreBatch batch, RecordParser parser, int maxRows, Action<string, long, LineOutcome> onSkipped)
    {
        foreach (var file in _ordered)
        {
            if (batch.RowCount >= maxRows)
            {
                return;
            }

            if (file.Length < file.ReadOffset)
            {
                FileShrank?.Invoke(file.RelativePath, file.ReadOffset, file.Length);
                file.Restart();
            }

            if (file.Length == file.ReadOffset)
            {
                continue;
            }

            ReadFile(file, batch, parser, maxRows, onSkipped);
        }
    }

    /// <summary>The batch is in the database: its files' positions are now saved.</summary>
    public void Commit(StoreBatch batch)
    {
        foreach (var (name, progress) in batch.Files)
        {
            if (_files.TryGetValue(name, out var file))
            {
                file.Committed(progress);
            }
        }
    }

    /// <summary>The position moves this batch makes, each with the offset the database should still hold.</summary>
    public IReadOnlyList<PositionUpdate> PositionUpdates(StoreBatch batch) =>
        batch.Files.Select(pair =>
        {
            var file = _files[pair.Key];
            return new PositionUpdate(pair.Key, file.InDatabase ? file.CommittedOffset : null, pair.Value.Offset, pair.Value.Lines);
        }).ToList();

    public void Dispose()
    {
        foreach (var file in _files.Values)
        {
            file.CloseCompressed();
        }
    }

    private void ReadFile(TrackedFile file, StoreBatch batch, RecordParser parser, int maxRows, Action<string, long, LineOutcome> onSkipped)
    {
        if (file.IsCompressed)
        {
            ReadCompressed(file, batch, parser, maxRows, onSkipped);
            return;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(file.FullPath, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
            });
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            file.Vanished();
            return;
        }

        using (stream)
        {
            stream.Seek(file.ReadOffset, SeekOrigin.Begin);
            var reader = new LineReader(stream, file.ReadOffset);
            ReadLines(file, reader, batch, parser, maxRows, onSkipped);
            file.SeenLength(stream.Length);
        }
    }

    private void ReadLines(TrackedFile file, LineReader reader, StoreBatch batch, RecordParser parser, int maxRows, Action<string, long, LineOutcome> onSkipped)
    {
        var lineNumber = file.ReadLines;
        var now = _time.GetTimestamp();
        reader.Read((line, end) =>
        {
            lineNumber++;
            var outcome = parser.Parse(line, file.Series, batch);
            var skipped = outcome is not (LineOutcome.Stored or LineOutcome.Blank);
            batch.LineConsumed(file.RelativePath, end, lineNumber, skipped, now);
            if (skipped)
            {
                onSkipped(file.RelativePath, lineNumber, outcome);
            }

            return batch.RowCount < maxRows;
        });
        file.Read(reader.Offset, lineNumber);
    }

    /// <summary>
    /// A .gz is read through one open decompressor kept between batches (reopening would decompress the day again for
    /// every batch); opened anew it skips to the position, in uncompressed bytes, that the plain file had reached.
    /// </summary>
    private void ReadCompressed(TrackedFile file, StoreBatch batch, RecordParser parser, int maxRows, Action<string, long, LineOutcome> onSkipped)
    {
        var reader = file.CompressedReader;
        if (reader is null || reader.Offset != file.ReadOffset)
        {
            file.CloseCompressed();
            Stream stream;
            try
            {
                stream = DayFiles.OpenRead(file.FullPath);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                file.Vanished();
                return;
            }

            if (!Skip(stream, file.ReadOffset))
            {
                // Shorter than the position saved for it: not the file that was stored. Read it again from the start.
                stream.Dispose();
                FileShrank?.Invoke(file.RelativePath, file.ReadOffset, 0);
                file.Restart();
                stream = DayFiles.OpenRead(file.FullPath);
            }

            reader = new LineReader(stream, file.ReadOffset);
            file.OpenCompressed(stream, reader);
        }

        try
        {
            ReadLines(file, reader, batch, parser, maxRows, onSkipped);
        }
        catch (InvalidDataException ex)
        {
            // A corrupt or truncated .gz: what it held up to the damage is in the batch; the rest cannot be read.
            FileUnreadable?.Invoke(file.RelativePath, ex.Message);
            file.CompressedDone();
            return;
        }

        if (reader.AtEnd)
        {
            // A .gz never grows: read to its end, it is done until the follower is rebuilt.
            file.CompressedDone();
        }
    }

    private static bool Skip(Stream stream, long bytes)
    {
        var buffer = new byte[64 * 1024];
        while (bytes > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, bytes));
            if (read == 0)
            {
                return false;
            }

            bytes -= read;
        }

        return true;
    }

    private void ScanFolder()
    {
        if (!Directory.Exists(_root))
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var infos = new DirectoryInfo(_root).EnumerateFiles(DayFileName.AnyGlob, Enumeration).Where(i => DayFileName.IsDataFile(i.Name)).ToList();
        var plainNames = infos.Where(i => !DayFileName.IsCompressed(i.Name)).Select(i => i.FullName).ToHashSet(StringComparer.Ordinal);
        foreach (var info in infos)
        {
            // While both exist (a compression between its rename and removing the plain file) they hold the same lines.
            if (DayFileName.IsCompressed(info.Name) && plainNames.Contains(DayFileName.PlainPathOf(info.FullName)))
            {
                continue;
            }

            var relative = Path.GetRelativePath(_root, DayFileName.PlainPathOf(info.FullName)).Replace('\\', '/');
            seen.Add(relative);
            if (!_files.TryGetValue(relative, out var file))
            {
                file = new TrackedFile(relative, DayFileName.PlainPathOf(info.FullName), default, inDatabase: false);
                _files.Add(relative, file);
            }

            file.SeenAt(info.FullName, info.Length);
        }

        // Older days first, so a catch-up fills the database in time order; undated files first of all.
        _ordered = _files.Values
            .Where(f => seen.Contains(f.RelativePath))
            .OrderBy(f => f.Day ?? DateOnly.MinValue)
            .ThenBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
    }

    private sealed class TrackedFile(string relativePath, string fullPath, FileProgress saved, bool inDatabase)
    {
        private Stream? _compressedStream;
        private bool _compressedDone;

        public string RelativePath { get; } = relativePath;

        /// <summary>The file on disk: the plain one, or its .gz once the day was compressed.</summary>
        public string FullPath { get; private set; } = fullPath;

        public bool IsCompressed => DayFileName.IsCompressed(FullPath);

        public LineReader? CompressedReader { get; private set; }

        /// <summary>Bytes not yet in the database; for a .gz not read to its end, its size on disk stands in.</summary>
        public long Pending => IsCompressed
            ? (_compressedDone ? Math.Max(0, Length - CommittedOffset) : _compressedSize)
            : Math.Max(0, Length - CommittedOffset);

        private long _compressedSize;

        public string Series { get; } = DayFileName.SeriesOf(relativePath);

        public DateOnly? Day { get; } = DayFileName.DayOf(relativePath);

        public long CommittedOffset { get; private set; } = saved.Offset;

        public long ReadOffset { get; private set; } = saved.Offset;

        public long ReadLines { get; private set; } = saved.Lines;

        /// <summary>True once a position row exists for this file (a new file's first save is an insert).</summary>
        public bool InDatabase { get; private set; } = inDatabase;

        public long Length { get; private set; }

        public void SeenLength(long length) => Length = length;

        /// <summary>As listed: a .gz's length is not its content's, so until it is read to its end it counts as unread.</summary>
        public void SeenAt(string path, long length)
        {
            if (!string.Equals(path, FullPath, StringComparison.Ordinal))
            {
                CloseCompressed();
                FullPath = path;
                _compressedDone = false;
            }

            if (IsCompressed)
            {
                _compressedSize = length;
                Length = _compressedDone ? ReadOffset : long.MaxValue;
            }
            else
            {
                Length = length;
            }
        }

        public void OpenCompressed(Stream stream, LineReader reader)
        {
            _compressedStream = stream;
            CompressedReader = reader;
        }

        public void CompressedDone()
        {
            CloseCompressed();
            _compressedDone = true;
            Length = ReadOffset;
        }

        public void CloseCompressed()
        {
            _compressedStream?.Dispose();
            _compressedStream = null;
            CompressedReader = null;
        }

        public void RefreshLength()
        {
            if (IsCompressed)
            {
                return;
            }

            try
            {
                Length = new FileInfo(FullPath).Length;
            }
            catch (FileNotFoundException)
            {
                Length = ReadOffset;
            }
        }

        public void Read(long offset, long lines)
        {
            ReadOffset = offset;
            ReadLines = lines;
        }

        public void Restart()
        {
            ReadOffset = 0;
            ReadLines = 0;
        }

        public void Vanished() => Length = ReadOffset;

        public void Committed(FileProgress progress)
        {
            CommittedOffset = progress.Offset;
            InDatabase = true;
        }
    }
}

/// <summary>Moves a file's saved position from <see cref="ExpectedOffset"/> (null: no row yet) to <see cref="Offset"/>.</summary>
internal sealed record PositionUpdate(string FileName, long? ExpectedOffset, long Offset, long Lines);
