namespace KxCollector.Kalshi.Stream;

/// <summary>
/// Remembers the last <see cref="Capacity"/> trade ids so each trade is written once, even when a reconnect or a
/// second connection delivers it again. Bounded: the oldest ids are forgotten first, and a trade replayed after
/// that many newer ones is far outside any reconnect window. Used from the receive loops under its own lock.
/// </summary>
internal sealed class TradeDeduplicator
{
    public const int DefaultCapacity = 100_000;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public TradeDeduplicator(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>True the first time an id is seen (write the trade), false for a repeat.</summary>
    public bool TryAdd(string tradeId)
    {
        lock (_gate)
        {
            if (!_seen.Add(tradeId))
            {
                return false;
            }

            _order.Enqueue(tradeId);
            if (_order.Count > Capacity)
            {
                _seen.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
