using KxCollector.Kalshi.Markets;

namespace KxCollector.Kalshi.Rest;

/// <summary>Where market lists come from: the REST client, or a scripted source in tests that drive the clock by hand.</summary>
internal interface IKalshiMarketSource
{
    /// <summary>
    /// All markets matching the query, following the cursor to the last page. Throws <see cref="KalshiApiException"/>
    /// when Kalshi cannot answer (after retries); the caller keeps what it knew.
    /// </summary>
    Task<IReadOnlyList<KalshiMarket>> GetMarketsAsync(MarketQuery query, CancellationToken cancellationToken);
}
