using System.Text.Json;
using KxCollector.Recording;

namespace KxCollector.Kalshi.Markets;

/// <summary>
/// The market state the tick writes. The poller builds a complete new snapshot (sorted by ticker) and swaps the
/// reference; the tick reads whichever snapshot is current, lock-free, so it never waits on the network or on a
/// poll in progress and never sees half of one.
/// </summary>
internal sealed class MarketBoard : ITickMarketsWriter
{
    private TickMarketEntry[] _entries = [];

    public IReadOnlyList<TickMarketEntry> Current => Volatile.Read(ref _entries);

    public void Publish(IEnumerable<TickMarketEntry> entries)
    {
        var sorted = entries.OrderBy(e => e.Ticker, StringComparer.Ordinal).ToArray();
        Volatile.Write(ref _entries, sorted);
    }

    public void WriteMarkets(Utf8JsonWriter writer, DateTimeOffset now)
    {
        foreach (var entry in Volatile.Read(ref _entries))
        {
            entry.Write(writer, now);
        }
    }
}
