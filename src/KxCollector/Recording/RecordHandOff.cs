using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Recording;

/// <summary>
/// Appends records for callers that must not wait on the disk: the Kalshi stream's receive loop (trades, lifecycle,
/// index prints), which with inline socket completions runs on the thread every socket of the process shares. The
/// caller formats its line and hands it over; one writer loop on the thread pool appends the lines in the order they
/// were handed over, each with one <see cref="IRecordSink.Append"/> (so the sink's rules hold: one write per line,
/// fsync at least every 10 s, its disk-outage backlog), and may wait on the sink's lock or its fsync instead of the
/// socket.
/// <list type="bullet">
/// <item>Lossless: the queue is not bounded, so a handed-over line is never dropped and the caller never blocks. What
/// bounds it in practice is the sink, which takes a line whatever the disk does (a failing disk fills the sink's own
/// bounded backlog, not this queue); only a disk that is slow but not failing lets lines wait here, counted in
/// <see cref="Pending"/>.</item>
/// <item>Shutdown: a hosted service registered before the stream, so the host stops it after the stream has stopped;
/// it then writes every line still queued, before the sinks are disposed (which fsyncs them). A line handed over
/// after that is written at once by the caller.</item>
/// </list>
/// </summary>
internal sealed partial class RecordHandOff : IHostedService, IAsyncDisposable
{
    private readonly Channel<Queued> _queue = Channel.CreateUnbounded<Queued>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly Task _writer;
    private long _handedOver;
    private long _written;
    private long _direct;
    private long _peak;
    private long _pending;

    public RecordHandOff(ILogger<RecordHandOff> logger)
    {
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
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
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(line);
        var pending = Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(new Queued(sink, timestamp, line)))
        {
            // Drained and closed at shutdown: nothing else will write this line, so the caller does.
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _direct);
            sink.Append(timestamp, line);
            return;
        }

        Interlocked.Increment(ref _handedOver);
        long peak;
        while (pending > (peak = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, pending, peak) != peak)
        {
        }
    }

    /// <summary>Writes everything queued, then has callers write for themselves; returns when the queue is empty.</summary>
    public async Task DrainAsync()
    {
        _queue.Writer.TryComplete();

        // Not back on the caller's context: a host disposed synchronously (Dispose blocks on DisposeAsync) under one
        // would deadlock here.
        await _writer.ConfigureAwait(false);
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

    private async Task WriteLoopAsync()
    {
        await foreach (var item in _queue.Reader.ReadAllAsync())
        {
            try
            {
                item.Sink.Append(item.Timestamp, item.Line);
                Interlocked.Increment(ref _written);
            }
#pragma warning disable CA1031 // A sink bug must cost its line (logged), never the loop and every line after it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogAppendFailed(_logger, ex);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private readonly record struct Queued(IRecordSink Sink, DateTimeOffset Timestamp, byte[] Line);

    [LoggerMessage(EventId = 315, Level = LogLevel.Error, Message = "A handed-over record could not be appended")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 316, Level = LogLevel.Debug, Message = "Stream records drained at shutdown: {Pending} were waiting; {HandedOver} handed over in all, at most {Peak} waiting at once")]
    private static partial void LogDrained(ILogger logger, long pending, long handedOver, long peak);
}
