using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using KxCollector.Archive;
using KxCollector.Store.Ingest;
using KxCollector.Store.Records;
using Npgsql;
using KxCollector.Recording;

namespace KxCollector.Store.Cli;

/// <summary>
/// Loads existing JSONL files (plain or .gz) into the database: one thread reads and parses while
/// <see cref="DefaultWriters"/> connections write the batches before it. Every row goes through the same staging + ON CONFLICT DO NOTHING path as the live
/// store, so importing a file twice, or a file the live store already follows, adds nothing the second time.
/// Only whole lines are imported: an unfinished last line (a file still being written) is left out and counted.
/// </summary>
internal sealed class Importer
{
    public const int DefaultBatchSize = 20_000;

    /// <summary>
    /// Connections writing at once: the server's work for a batch (staging, index upkeep, commit) runs on one core
    /// per connection, so two keep a two-core server busy while this process parses the next batch.
    /// </summary>
    public const int DefaultWriters = 2;

    private const int MaxAttempts = 5;

    /// <summary>Bigger reads than the live follower's: an import reads files end to end.</summary>
    private const int ReadBufferBytes = 1024 * 1024;

    private readonly IReadOnlyList<string> _files;
    private readonly int _batchSize;
    private readonly int _writers;
    private long _bytesDone;
    private long _lines;
    private long _rowsStaged;
    private long _rowsInserted;
    private long _unparseable;
    private long _unknownType;
    private long _rejected;
    private long _incompleteLines;
    private string _currentFile = string.Empty;

    public Importer(IReadOnlyList<string> files, int batchSize, int writers = DefaultWriters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _files = files;
        _batchSize = batchSize;
        _writers = writers;
        TotalBytes = files.Sum(f => new FileInfo(f).Length);
    }

    /// <summary>The size on disk of all the files (compressed size for .gz): what progress is measured in.</summary>
    public long TotalBytes { get; }

    /// <summary>Files that could not be read to the end (a corrupt .gz, an I/O error) and why; the others are imported.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>A consistent-enough snapshot for the progress display (read from another thread).</summary>
    public ImportProgress Progress => new(
        Interlocked.Read(ref _bytesDone),
        TotalBytes,
        Interlocked.Read(ref _lines),
        Interlocked.Read(ref _rowsStaged),
        Interlocked.Read(ref _rowsInserted),
        Volatile.Read(ref _currentFile));

    public ImportSummary Summary => new(
        _files.Count,
        _lines,
        _rowsStaged,
        _rowsInserted,
        _unparseable,
        _unknownType,
        _rejected,
        _incompleteLines,
        Failures.Count);

    public async Task RunAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<PendingBatch>(new BoundedChannelOptions(_writers * 2) { SingleReader = _writers == 1, SingleWriter = true });
        var spare = new Stack<StoreBatch>();
        var spareGate = new Lock();

        var reader = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    Produce(channel.Writer, () =>
                    {
                        lock (spareGate)
                        {
                            return spare.Count > 0 ? spare.Pop() : new StoreBatch();
                        }
                    }, stop.Token);
                    channel.Writer.Complete();
                }
                catch (Exception ex)
                {
                    channel.Writer.Complete(ex);
                    throw;
                }
            },
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        async Task WriteAllAsync()
        {
            await using var connection = await dataSource.OpenConnectionAsync(stop.Token);
            await foreach (var pending in channel.Reader.ReadAllAsync(stop.Token))
            {
                var batch = pending.Batch;
                try
                {
                    // The rows are only ever added, so two batches may write them at once, each in its own transaction.
                    var result = await WriteRetryingAsync(connection, batch, BatchParts.Rows, stop.Token);
                    Interlocked.Add(ref _rowsStaged, result.RowsStaged);
                    Interlocked.Add(ref _rowsInserted, result.RowsInserted);

                    // The merges into one current row per market take turns in file order, as one writer would: a
                    // field the newer record wins keeps the newer record's value. Waiting here holds no lock: the
                    // rows' transaction has committed.
                    await pending.PreviousMerged.WaitAsync(stop.Token);
                    if (batch.Metadata.Count > 0 || batch.GameMilestones.Count > 0)
                    {
                        await WriteRetryingAsync(connection, batch, BatchParts.Merges, stop.Token);
                    }

                    pending.Merged.SetResult();
                }
                catch (Exception ex) when (ex is not OperationCanceledException && DatabaseErrors.IsDatabaseFailure(ex))
                {
                    throw ImportWriteException.Of(pending.Lines, ex);
                }

                batch.Clear();
                lock (spareGate)
                {
                    spare.Push(batch);
                }
            }
        }

        var writers = Enumerable.Range(0, _writers).Select(_ => Task.Run(WriteAllAsync, stop.Token)).ToList();
        var failure = await FirstFailureAsync(writers, stop);
        if (failure is null)
        {
            await reader;
            return;
        }

        // The database failed (or we were cancelled): stop the reader too before reporting.
        await stop.CancelAsync();
        try
        {
            await reader;
        }
        catch (OperationCanceledException)
        {
        }

        ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Waits for every writer; on the first that fails, cancels the others and returns what it failed with.</summary>
    private static async Task<Exception?> FirstFailureAsync(List<Task> writers, CancellationTokenSource stop)
    {
        var running = new List<Task>(writers);
        Exception? first = null;
        while (running.Count > 0)
        {
            var done = await Task.WhenAny(running);
            running.Remove(done);
            if (done.Exception?.InnerException is { } ex && (first is null || first is OperationCanceledException))
            {
                // A writer cancelled because another failed says less than the one that failed.
                first = ex;
            }
            else if (done.IsCanceled && first is null)
            {
                first = new OperationCanceledException(stop.Token);
            }

            if (first is not null)
            {
                await stop.CancelAsync();
            }
        }

        return first;
    }

    /// <summary>
    /// Two import writers (or an import beside the live store) can meet on a row both have (a print or a game line in
    /// two series' files, a trade both streamed and backfilled) and the server may pick one as a deadlock victim: its
    /// transaction rolled back whole, so writing it again is safe.
    /// </summary>
    private static async Task<BatchResult> WriteRetryingAsync(NpgsqlConnection connection, StoreBatch batch, BatchParts parts, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await BatchWriter.WriteAsync(connection, batch, bookkeeping: null, ct, parts);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxAttempts)
            {
            }
        }
    }

    private void Produce(ChannelWriter<PendingBatch> output, Func<StoreBatch> nextBatch, CancellationToken ct)
    {
        var parser = new RecordParser();
        var batch = nextBatch();
        var previousMerged = Task.CompletedTask;
        var first = default(LinePosition);
        var last = default(LinePosition);

        void Send()
        {
            var merged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // A dedicated thread: waiting here for the database to take the previous batch blocks nobody else.
            output.WriteAsync(new PendingBatch(batch, Describe(first, last), previousMerged, merged), ct).AsTask().GetAwaiter().GetResult();
            previousMerged = merged.Task;
            batch = nextBatch();
            first = default;
        }

        long bytesBefore = 0;
        foreach (var path in _files)
        {
            ct.ThrowIfCancellationRequested();
            Volatile.Write(ref _currentFile, path);
            var series = DayFileName.SeriesOf(path);
            var size = new FileInfo(path).Length;
            var line = 0L;
            try
            {
                using var file = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.Open,
                    Access = FileAccess.Read,
                    Share = FileShare.ReadWrite | FileShare.Delete,
                    BufferSize = 0,
                    Options = FileOptions.SequentialScan,
                });
                // A truncated .gz fails here (its trailer is checked) instead of importing as a shorter day.
                using var stream = DayFileName.IsCompressed(path) ? new CheckedGzipStream(file) : (Stream)file;
                var lines = new LineReader(stream, 0, ReadBufferBytes);
                while (!lines.AtEnd)
                {
                    lines.Read((text, end) =>
                    {
                        line++;
                        LineOutcome outcome;
                        try
                        {
                            outcome = parser.Parse(text, series, batch);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            throw new ImportReadException(path, line, ex);
                        }

                        Count(outcome);
                        batch.LineConsumed(null, end, 0, outcome is not (LineOutcome.Stored or LineOutcome.Blank), 0);
                        if (first.Path is null)
                        {
                            first = new LinePosition(path, line);
                        }

                        last = new LinePosition(path, line);
                        return batch.RowCount < _batchSize;
                    });
                    Interlocked.Exchange(ref _bytesDone, bytesBefore + file.Position);
                    if (batch.RowCount >= _batchSize)
                    {
                        Send();
                    }
                }

                if (lines.TrailingBytes > 0)
                {
                    _incompleteLines++;
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                lock (Failures)
                {
                    Failures.Add($"{path}: {ex.Message}");
                }
            }

            bytesBefore += size;
            Interlocked.Exchange(ref _bytesDone, bytesBefore);
        }

        if (!batch.IsEmpty)
        {
            Send();
        }
    }

    private static string Describe(LinePosition first, LinePosition last) =>
        first.Path == last.Path
            ? string.Create(CultureInfo.InvariantCulture, $"{first.Path} lines {first.Line:N0}-{last.Line:N0}")
            : string.Create(CultureInfo.InvariantCulture, $"{first.Path} line {first.Line:N0} to {last.Path} line {last.Line:N0}");

    private void Count(LineOutcome outcome)
    {
        Interlocked.Increment(ref _lines);
        switch (outcome)
        {
            case LineOutcome.Unparseable:
                _unparseable++;
                break;
            case LineOutcome.UnknownType:
                _unknownType++;
                break;
            case LineOutcome.Rejected:
                _rejected++;
                break;
            case LineOutcome.Stored:
            case LineOutcome.Blank:
            default:
                break;
        }
    }
}

internal readonly record struct ImportProgress(long BytesDone, long TotalBytes, long Lines, long RowsStaged, long RowsInserted, string CurrentFile);

internal sealed record ImportSummary(
    int Files,
    long Lines,
    long RowsStaged,
    long RowsInserted,
    long Unparseable,
    long UnknownType,
    long Rejected,
    long IncompleteLines,
    int FailedFiles)
{
    public long RowsAlreadyPresent => RowsStaged - RowsInserted;
}

/// <summary>A batch on its way to a writer: the lines it holds, and its turn in the order of merges.</summary>
internal sealed record PendingBatch(StoreBatch Batch, string Lines, Task PreviousMerged, TaskCompletionSource Merged);

internal readonly record struct LinePosition(string? Path, long Line);
