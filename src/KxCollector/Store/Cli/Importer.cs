using System.Threading.Channels;
using KxCollector.Archive;
using KxCollector.Store.Ingest;
using KxCollector.Store.Records;
using Npgsql;
using KxCollector.Recording;

namespace KxCollector.Store.Cli;

/// <summary>
/// Loads existing JSONL files (plain or .gz) into the database: one thread reads and parses while the database
/// writes the previous batch. Every row goes through the same staging + ON CONFLICT DO NOTHING path as the live
/// store, so importing a file twice, or a file the live store already follows, adds nothing the second time.
/// Only whole lines are imported: an unfinished last line (a file still being written) is left out and counted.
/// </summary>
internal sealed class Importer
{
    public const int DefaultBatchSize = 20_000;

    /// <summary>Bigger reads than the live follower's: an import reads files end to end.</summary>
    private const int ReadBufferBytes = 1024 * 1024;

    private readonly IReadOnlyList<string> _files;
    private readonly int _batchSize;
    private long _bytesDone;
    private long _lines;
    private long _rowsStaged;
    private long _rowsInserted;
    private long _unparseable;
    private long _unknownType;
    private long _rejected;
    private long _incompleteLines;
    private string _currentFile = string.Empty;

    public Importer(IReadOnlyList<string> files, int batchSize)
    {
        _files = files;
        _batchSize = batchSize;
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
        var channel = Channel.CreateBounded<StoreBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
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

        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(stop.Token);
            await foreach (var batch in channel.Reader.ReadAllAsync(stop.Token))
            {
                var result = await BatchWriter.WriteAsync(connection, batch, bookkeeping: null, stop.Token);
                Interlocked.Add(ref _rowsStaged, result.RowsStaged);
                Interlocked.Add(ref _rowsInserted, result.RowsInserted);
                batch.Clear();
                lock (spareGate)
                {
                    spare.Push(batch);
                }
            }
        }
        catch
        {
            // The database failed (or we were cancelled): stop the reader too before reporting.
            await stop.CancelAsync();
            try
            {
                await reader;
            }
            catch (OperationCanceledException)
            {
            }

            throw;
        }

        await reader;
    }

    private void Produce(ChannelWriter<StoreBatch> output, Func<StoreBatch> nextBatch, CancellationToken ct)
    {
        var parser = new RecordParser();
        var batch = nextBatch();
        long bytesBefore = 0;
        foreach (var path in _files)
        {
            ct.ThrowIfCancellationRequested();
            Volatile.Write(ref _currentFile, path);
            var series = DayFileName.SeriesOf(path);
            var size = new FileInfo(path).Length;
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
                    lines.Read((line, end) =>
                    {
                        var outcome = parser.Parse(line, series, batch);
                        Count(outcome);
                        batch.LineConsumed(null, end, 0, outcome is not (LineOutcome.Stored or LineOutcome.Blank), 0);
                        return batch.RowCount < _batchSize;
                    });
                    Interlocked.Exchange(ref _bytesDone, bytesBefore + file.Position);
                    if (batch.RowCount >= _batchSize)
                    {
                        Send(output, batch, ct);
                        batch = nextBatch();
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
            Send(output, batch, ct);
        }
    }

    private static void Send(ChannelWriter<StoreBatch> output, StoreBatch batch, CancellationToken ct) =>

        // A dedicated thread: waiting here for the database to take the previous batch blocks nobody else.
        output.WriteAsync(batch, ct).AsTask().GetAwaiter().GetResult();

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
