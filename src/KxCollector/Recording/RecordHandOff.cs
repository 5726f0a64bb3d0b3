using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Recording;

/// <summary>
/// Appends records for callers that must not wait on the disk: the tick loops (a write that blocks behind an ext4
/// journal commit must not cost the next second its tick) and the Kalshi stream's receive loop (trades, lifecycle,
/// index prints), which with inline socket completions runs on the thread every socket of the process shares. The
/// caller formats its line and hands it over; one writer thread of its own appends the lines in the order they were
/// handed over, each with one <see cref="IRecordSink.Append"/> (so the sink's rules hold: one write per line, fsync at
/// least every 10 s, its disk-outage backlog), and may wait on the sink's lock, a slow write or its fsync instead of
/// the caller.
/// <list type="bullet">
/// <item>A thread, not a loop on the thread pool: a write blocked in the kernel holds its thread, and the pool's
/// threads are what the runtime's timers need to fire on time. It sleeps on an event that does not spin
/// (a BlockingCollection's semaphore spins and yields before it sleeps: ~20 context switches per line handed over,
/// measured at 68 a second for 3-4 lines a second).</item>
/// <item>Lossless: the queue is not bounded, so a handed-over line is never dropped and the caller never blocks. What
/// bounds it in practice is the sink, which takes a line whatever the disk does (a failing disk fills the sink's own
/// bounded backlog, not this queue); only a disk that is slow but not failing lets lines wait here, counted in
/// <see cref="Pending"/>.</item>
/// <item>After each append, the line's <see cref="IAppendObserver"/> (if it gave one) is told on the writer thread:
/// a tick's counters and status.json follow what reached the file.</item>
/// <item>Shutdown: a hosted service registered before the tick loops and the stream, so the host stops it after they
/// have stopped; it then writes every line still queued, before the sinks are disposed (which fsyncs them). A line
/// handed over after that is written at once by the caller.</item>
/// </list>
/// </summary>
internal sealed partial class RecordHandOff : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentQueue<Queued> _queue = new();
    private readonly ManualResetEventSlim _queued = new(initialState: false, spinCount: 0);
    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private bool _completed;
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _handedOver;
    private long _written;
    private long _direct;
    private long _peak;
    private long _pending;

    public RecordHandOff(ILogger<RecordHandOff> logger)
    {
        _logger = logger;
        new Thread(WriteLoop) { IsBackground = true, Name = "kx-records" }.Start();
    }

    /// <summary>Lines handed over so far.</summary>
    public long HandedOver => Interlocked.Read(ref _handedOver);

    /// <summary>Lines the writer loop has given to their sink.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Lines handed over after shutdown had drained the queue, written by their caller.</summary>
    public long WrittenDirectly => Interlocked.Read(ref _direct);

    /// <summary>Lines waiting for the writer loop now.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>The most lines that have waited at once.</summary>
    public long PeakPending => Interlocked.Read(ref _peak);

    /// <summary>Queues <paramref name="line"/> (one record without its newline, owned by the queue from now on) for
    /// <paramref name="sink"/>; returns at once.</summary>
    public void Append(IRecordSink sink, DateTimeOffset timestamp, byte[] line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Enqueue(new Queued(sink, timestamp, line, line.Length, Pooled: false, null));
    }

    /// <summary>
    /// Queues a copy of <paramref name="record"/> (in a pooled buffer: a tick of a thousand markets is a large object
    /// each second) for <paramref name="sink"/>, and tells <paramref name="then"/> on the writer thread once the
    /// sink's Append has returned; returns at once.
    /// </summary>
    public void Append(IRecordSink sink, DateTimeOffset timestamp, ReadOnlySpan<byte> record, IAppendObserver? then)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(record.Length);
        record.CopyTo(buffer);
        Enqueue(new Queued(sink, timestamp, buffer, record.Length, Pooled: true, then));
    }

    private void Enqueue(Queued item)
    {
        ArgumentNullException.ThrowIfNull(item.Sink);
        var pending = Interlocked.Increment(ref _pending);
        bool queued;
        lock (_gate)
        {
            // Under the lock with the writer's last look, so no line is queued after the writer has left.
            queued = !_completed;
            if (queued)
            {
                _queue.Enqueue(item);
            }
        }

        if (!queued)
        {
            // Drained and closed at shutdown: nothing else will write this line, so the caller does.
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _direct);
            Write(item);
            return;
        }

        _queued.Set();
        Interlocked.Increment(ref _handedOver);
        long peak;
        while (pending > (peak = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, pending, peak) != peak)
        {
        }
    }

    /// <summary>Writes everything queued, then has callers write for themselves; returns when the queue is empty.</summary>
    public async Task DrainAsync()
    {
        lock (_gate)
        {
            _completed = true;
        }

        _queued.Set();

        // Not back on the caller's context: a host disposed synchronously (Dispose blocks on DisposeAsync) under one
        // would deadlock here.
        await _writerDone.Task.ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Not bounded by the host's shutdown token: the lines are on their way to a local disk, and dropping
    /// them would lose trades.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var pending = Pending;
        await DrainAsync().ConfigureAwait(false);
        LogDrained(_logger, pending, HandedOver, PeakPending);
    }

    public async ValueTask DisposeAsync() => await DrainAsync().ConfigureAwait(false);

    private void WriteLoop()
    {
        while (true)
        {
            while (_queue.TryDequeue(out var item))
            {
                if (Write(item))
                {
                    Interlocked.Increment(ref _written);
                }

                Interlocked.Decrement(ref _pending);
            }

            lock (_gate)
            {
                if (_completed && _queue.IsEmpty)
                {
                    break;
                }
            }

            // Reset before the last look: a line queued after it sets the event again, so the wait cannot miss it.
            _queued.Reset();
            if (_queue.IsEmpty && !Volatile.Read(ref _completed))
            {
                _queued.Wait();
            }
        }

        _writerDone.SetResult();
    }

    /// <summary>One line to its sink, then its observer; false when either threw (logged).</summary>
    private bool Write(Queued item)
    {
        try
        {
            var written = item.Sink.Append(item.Timestamp, item.Line.AsSpan(0, item.Length));
            item.Then?.OnAppended(item.Timestamp, written);
            return true;
        }
#pragma warning disable CA1031 // A sink bug must cost its line (logged), never the loop and every line after it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogAppendFailed(_logger, ex);
            return false;
        }
        finally
        {
            if (item.Pooled)
            {
                ArrayPool<byte>.Shared.Return(item.Line);
            }
        }
    }

    private readonly record struct Queued(IRecordSink Sink, DateTimeOffset Timestamp, byte[] Line, int Length, bool Pooled, IAppendObserver? Then);

    [LoggerMessage(EventId = 315, Level = LogLevel.Error, Message = "A handed-over record could not be appended")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 316, Level = LogLevel.Debug, Message = "Records drained at shutdown: {Pending} were waiting; {HandedOver} handed over in all, at most {Peak} waiting at once")]
    private static partial void LogDrained(ILogger logger, long pending, long handedOver, long peak);
}
