using KxCollector.Store.Records;

namespace KxCollector.Store.Ingest;

/// <summary>
/// Follows every <c>*.jsonl</c> file under the data folder (the daily files, and any others such as the backfill's)
/// as they grow, from the positions last saved in the database, older days first. Reads only whole lines into a
/// batch; positions advance for real only when <see cref="Commit"/> says the batch is in the database.
/// After a failed write the follower is thrown away and rebuilt from the saved positions, which are the truth.
/// </summary>
internal sealed class FolderFollower
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

    /// <summary>Bytes in the files that are not in the database yet (whole or partial lines).</summary>
    public long PendingBytes => _files.Values.Sum(f => Math.Max(0, f.Length - f.CommittedOffset));

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

    private void ReadFile(TrackedFile file, StoreBatch batch, RecordParser parser, int maxRows, Action<string, long, LineOutcome> onSkipped)
    {
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
            file.SeenLength(stream.Length);
        }
    }

    private void ScanFolder()
    {
        if (!Directory.Exists(_root))
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var info in new DirectoryInfo(_root).EnumerateFiles("*.jsonl", Enumeration))
        {
            var relative = Path.GetRelativePath(_root, info.FullName).Replace('\\', '/');
            seen.Add(relative);
            if (!_files.TryGetValue(relative, out var file))
            {
                file = new TrackedFile(relative, info.FullName, default, inDatabase: false);
                _files.Add(relative, file);
            }

            file.SeenLength(info.Length);
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
        public string RelativePath { get; } = relativePath;

        public string FullPath { get; } = fullPath;

        public string Series { get; } = DataFileNames.SeriesOf(relativePath);

        public DateOnly? Day { get; } = DataFileNames.DayOf(relativePath);

        public long CommittedOffset { get; private set; } = saved.Offset;

        public long ReadOffset { get; private set; } = saved.Offset;

        public long ReadLines { get; private set; } = saved.Lines;

        /// <summary>True once a position row exists for this file (a new file's first save is an insert).</summary>
        public bool InDatabase { get; private set; } = inDatabase;

        public long Length { get; private set; }

        public void SeenLength(long length) => Length = length;

        public void RefreshLength()
        {
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
