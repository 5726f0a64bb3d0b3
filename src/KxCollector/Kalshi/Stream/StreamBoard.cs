using KxCollector.Net;
using System.Collections.Concurrent;
using KxCollector.Kalshi.Markets;

namespace KxCollector.Kalshi.Stream;

/// <summary>
/// A market's quote from the stream's ticker channel, already in cents (no_bid = 100 − yes_ask, no_ask = 100 −
/// yes_bid, exact), and when it arrived. Immutable: the receive loop swaps it, the tick reads it lock-free.
/// </summary>
internal sealed record StreamQuote(
    decimal? YesBid,
    decimal? YesAsk,
    decimal? LastPrice,
    decimal? Volume,
    decimal? OpenInterest,
    DateTimeOffset ReceivedAt)
{
    public decimal? NoBid => YesAsk is { } ask ? 100m - ask : null;

    public decimal? NoAsk => YesBid is { } bid ? 100m - bid : null;
}

/// <summary>What the stream knows of one market: its latest ticker quote (null until one arrives) and its book.</summary>
internal sealed class StreamMarket
{
    private StreamQuote? _quote;

    public OrderBook Book { get; } = new();

    public StreamQuote? Quote => Volatile.Read(ref _quote);

    public void SetQuote(StreamQuote? quote) => Volatile.Write(ref _quote, quote);
}

/// <summary>
/// The stream's state of every subscribed market, shared by the stream connections (writers) and the ticks
/// (readers). A market is here only while a live connection covers it: a lost connection clears its markets, so a
/// tick never presents stream data from before a reconnect as current, and books come back only from new snapshots.
/// </summary>
internal sealed class StreamBoard
{
    private readonly ConcurrentDictionary<string, StreamMarket> _markets = new(StringComparer.Ordinal);

    /// <summary>Raised by the market boards (which hold this board) when the set of markets in the ticks changes.</summary>
    public WakeSignal MarketsChanged { get; } = new();

    /// <summary>The market's stream state, or null when no live connection has sent anything for it.</summary>
    public StreamMarket? Find(string ticker) => _markets.TryGetValue(ticker, out var market) ? market : null;

    public StreamMarket GetOrAdd(string ticker) => _markets.GetOrAdd(ticker, static _ => new StreamMarket());

    /// <summary>Applies a ticker message; fields it leaves out keep the values of the previous message.</summary>
    public void ApplyTicker(TickerFrame frame, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var market = GetOrAdd(frame.MarketTicker);
        var previous = market.Quote;
        market.SetQuote(new StreamQuote(
            TickMarketEntry.Cents(frame.YesBidDollars) ?? previous?.YesBid,
            TickMarketEntry.Cents(frame.YesAskDollars) ?? previous?.YesAsk,
            TickMarketEntry.Cents(frame.PriceDollars) ?? previous?.LastPrice,
            Normalize(frame.Volume) ?? previous?.Volume,
            Normalize(frame.OpenInterest) ?? previous?.OpenInterest,
            receivedAt));
    }

    /// <summary>Forgets a market (unsubscribed, or its connection was lost): its quote and book are no longer current.</summary>
    public void Forget(string ticker) => _markets.TryRemove(ticker, out _);

    private static decimal? Normalize(decimal? value) => value is { } v ? Pricing.DecimalMath.Normalize(v) : null;
}
