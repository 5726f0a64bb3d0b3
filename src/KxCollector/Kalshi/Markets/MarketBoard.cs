using System.Text.Json;
using KxCollector.Kalshi.Stream;
using KxCollector.Recording;

namespace KxCollector.Kalshi.Markets;

/// <summary>
/// The market state the tick writes. The poller builds a complete new snapshot (sorted by ticker) and swaps the
/// reference; the tick reads whichever snapshot is current, lock-free, so it never waits on the network or on a
/// poll in progress and never sees half of one. The stream's quotes and books, when there are any, are laid over
/// the entries as each tick is written (<see cref="TickMarketEntry.Write(Utf8JsonWriter, DateTimeOffset, StreamMarket?, int)"/>).
/// </summary>
internal sealed class MarketBoard : ITickMarketsWriter
{
    private readonly StreamBoard? _stream;
    private readonly int _bookDepth;
    private TickMarketEntry[] _entries = [];
    private string[] _openingSoon = [];

    public MarketBoard()
    {
    }

    /// <param name="stream">The stream's market state; null when there is no stream (no key).</param>
    /// <param name="bookDepth">BOOK_DEPTH: levels per side in each entry; 0 for none.</param>
    public MarketBoard(StreamBoard? stream, int bookDepth)
    {
        _stream = stream;
        _bookDepth = bookDepth;
    }

    public IReadOnlyList<TickMarketEntry> Current => Volatile.Read(ref _entries);

    /// <summary>
    /// Markets not open yet that open soon, by ticker: not in the tick, but the stream subscribes them ahead of their
    /// open, so the first trades and book changes of a market (often its busiest seconds) are not missed while the
    /// poll finds it open.
    /// </summary>
    public IReadOnlyList<string> OpeningSoon => Volatile.Read(ref _openingSoon);

    /// <summary>Swaps in a new snapshot; when its set of tickers, or of those opening soon, changed, the stream is told.</summary>
    public void Publish(IEnumerable<TickMarketEntry> entries, IEnumerable<string>? openingSoon = null)
    {
        var sorted = entries.OrderBy(e => e.Ticker, StringComparer.Ordinal).ToArray();
        var soon = openingSoon?.Order(StringComparer.Ordinal).ToArray() ?? [];
        var previous = Interlocked.Exchange(ref _entries, sorted);
        var previousSoon = Interlocked.Exchange(ref _openingSoon, soon);
        if (!SameTickers(previous, sorted) || !previousSoon.AsSpan().SequenceEqual(soon))
        {
            _stream?.MarketsChanged.Notify();
        }
    }

    // A loop, not LINQ, as in LiveMarkets: it runs on every poll, whose iterators were a sixth of what the daemon allocated.
    private static bool SameTickers(TickMarketEntry[] a, TickMarketEntry[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!string.Equals(a[i].Ticker, b[i].Ticker, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public void WriteMarkets(Utf8JsonWriter writer, DateTimeOffset now)
    {
        foreach (var entry in Volatile.Read(ref _entries))
        {
            entry.Write(writer, now, _stream?.Find(entry.Ticker), _bookDepth);
        }
    }
}
