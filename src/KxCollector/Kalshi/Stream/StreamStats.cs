namespace KxCollector.Kalshi.Stream;

/// <summary>Counters of the Kalshi stream, for logs, status and tests (updated from the receive loops).</summary>
internal sealed class StreamStats
{
    private long _connects;
    private long _disconnects;
    private long _malformed;
    private long _gaps;
    private long _duplicates;
    private long _tradesWritten;
    private long _tradeRepeats;
    private long _lifecycleWritten;
    private long _snapshots;
    private long _subscriptionsEnded;
    private long _snapshotRequests;

    public long Connects => Interlocked.Read(ref _connects);

    public long Disconnects => Interlocked.Read(ref _disconnects);

    /// <summary>Frames that were not JSON or lacked what their type needs: skipped.</summary>
    public long MalformedFrames => Interlocked.Read(ref _malformed);

    /// <summary>Sequence gaps (a frame missed): the sid's books were re-snapshotted.</summary>
    public long SequenceGaps => Interlocked.Read(ref _gaps);

    /// <summary>Frames whose seq was not new (a repeat): the sid's books were re-snapshotted too.</summary>
    public long SequenceDuplicates => Interlocked.Read(ref _duplicates);

    public long TradesWritten => Interlocked.Read(ref _tradesWritten);

    /// <summary>Trades received again (reconnect, second connection) and not written again.</summary>
    public long TradeRepeats => Interlocked.Read(ref _tradeRepeats);

    public long LifecycleWritten => Interlocked.Read(ref _lifecycleWritten);

    public long Snapshots => Interlocked.Read(ref _snapshots);

    /// <summary>Subscriptions that ended (Kalshi's errors 10 and 25, an unanswered get_snapshot) and were subscribed again.</summary>
    public long SubscriptionsEnded => Interlocked.Read(ref _subscriptionsEnded);

    /// <summary>get_snapshot commands sent (one per sequence break of a book subscription).</summary>
    public long SnapshotRequests => Interlocked.Read(ref _snapshotRequests);

    public void Connected() => Interlocked.Increment(ref _connects);

    public void Disconnected() => Interlocked.Increment(ref _disconnects);

    public void Malformed() => Interlocked.Increment(ref _malformed);

    public void Gap() => Interlocked.Increment(ref _gaps);

    public void Duplicate() => Interlocked.Increment(ref _duplicates);

    public void TradeWritten() => Interlocked.Increment(ref _tradesWritten);

    public void TradeRepeated() => Interlocked.Increment(ref _tradeRepeats);

    public void LifecycleRecorded() => Interlocked.Increment(ref _lifecycleWritten);

    public void Snapshot() => Interlocked.Increment(ref _snapshots);

    public void SubscriptionEnded() => Interlocked.Increment(ref _subscriptionsEnded);

    public void SnapshotRequested() => Interlocked.Increment(ref _snapshotRequests);
}
