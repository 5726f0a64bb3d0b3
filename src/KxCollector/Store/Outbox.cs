namespace KxCollector.Store;

/// <summary>
/// Rows made in memory (health samples, log entries) waiting for the database. Bounded: when the database is away
/// for long, the oldest are dropped and counted, so memory stays flat. Adding never blocks. Rows leave only after the
/// transaction that wrote them committed (<see cref="RemoveThrough"/>), so a failed write loses nothing.
/// </summary>
internal sealed class Outbox<T>
{
    private readonly Lock _gate = new();
    private readonly Queue<(long Seq, T Item)> _items = new();
    private readonly int _capacity;
    private long _nextSeq;
    private long _dropped;

    public Outbox(int capacity) => _capacity = capacity;

    public long Dropped => Interlocked.Read(ref _dropped);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Adds an item; returns its sequence number (1, 2, …, unique within this process).</summary>
    public long Add(Func<long, T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (_gate)
        {
            var seq = ++_nextSeq;
            _items.Enqueue((seq, create(seq)));
            while (_items.Count > _capacity)
            {
                _items.Dequeue();
                _dropped++;
            }

            return seq;
        }
    }

    /// <summary>The oldest items (at most <paramref name="max"/>) and the sequence number of the last one.</summary>
    public (IReadOnlyList<T> Items, long LastSeq) Peek(int max)
    {
        lock (_gate)
        {
            var items = new List<T>(Math.Min(max, _items.Count));
            long last = 0;
            foreach (var (seq, item) in _items)
            {
                if (items.Count == max)
                {
                    break;
                }

                items.Add(item);
                last = seq;
            }

            return (items, last);
        }
    }

    /// <summary>Removes the items up to and including <paramref name="seq"/> (those already dropped are simply gone).</summary>
    public void RemoveThrough(long seq)
    {
        lock (_gate)
        {
            while (_items.TryPeek(out var head) && head.Seq <= seq)
            {
                _items.Dequeue();
            }
        }
    }
}
