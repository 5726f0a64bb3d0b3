using KxCollector.Pricing;

namespace KxCollector.Feeds;

/// <summary>
/// Live facts about one exchange feed, written by the feed and read by status reporting. Fields are updated with
/// Interlocked/Volatile so readers on other threads see whole values without locks.
/// </summary>
internal sealed class FeedHealth
{
    private long _connectedSinceTicks;
    private long _lastFrameAtTicks;
    private long _reconnects;
    private long _malformedFrames;
    private long _rejectedQuotes;
    private long _framesReceived;
    private string? _lastError;

    public FeedHealth(Exchange exchange) => Exchange = exchange;

    public Exchange Exchange { get; }

    /// <summary>True while a WebSocket is open and subscribed.</summary>
    public bool Connected => Volatile.Read(ref _connectedSinceTicks) != 0;

    public DateTimeOffset? ConnectedSince => FromTicks(Volatile.Read(ref _connectedSinceTicks));

    /// <summary>Time of the last frame of any kind (data, heartbeat, ack): liveness, not quote freshness.</summary>
    public DateTimeOffset? LastFrameAt => FromTicks(Volatile.Read(ref _lastFrameAtTicks));

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long MalformedFrames => Interlocked.Read(ref _malformedFrames);

    public long RejectedQuotes => Interlocked.Read(ref _rejectedQuotes);

    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    public string? LastError => Volatile.Read(ref _lastError);

    public void MarkConnected(DateTimeOffset at) => Volatile.Write(ref _connectedSinceTicks, at.UtcTicks);

    public void MarkDisconnected(string? error)
    {
        Volatile.Write(ref _connectedSinceTicks, 0);
        if (error is not null)
        {
            Volatile.Write(ref _lastError, error);
        }
    }

    public void MarkReconnecting() => Interlocked.Increment(ref _reconnects);

    public void MarkFrame(DateTimeOffset at)
    {
        Volatile.Write(ref _lastFrameAtTicks, at.UtcTicks);
        Interlocked.Increment(ref _framesReceived);
    }

    /// <summary>Counts a malformed frame and returns the running total.</summary>
    public long MarkMalformed() => Interlocked.Increment(ref _malformedFrames);

    public long MarkRejectedQuote() => Interlocked.Increment(ref _rejectedQuotes);

    public void RecordError(string error) => Volatile.Write(ref _lastError, error);

    private static DateTimeOffset? FromTicks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
