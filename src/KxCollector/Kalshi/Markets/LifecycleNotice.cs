namespace KxCollector.Kalshi.Markets;

/// <summary>
/// A market_lifecycle_v2 event passed from the stream to the series' tracker. It carries no settlement figure on
/// purpose: the stream's settlement_value is the payout per contract, and expiration_value comes only from REST.
/// </summary>
internal sealed record LifecycleNotice(string Ticker, string EventType, string? Result);
