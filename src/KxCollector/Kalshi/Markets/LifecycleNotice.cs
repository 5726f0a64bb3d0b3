namespace KxCollector.Kalshi.Markets;

/// <summary>A market_lifecycle_v2 event passed from the stream to the series' tracker.</summary>
/// <param name="SettlementValue">The settlement value of a determined market, parsed defensively; null otherwise.</param>
internal sealed record LifecycleNotice(string Ticker, string EventType, string? Result, decimal? SettlementValue, string? SettlementValueText);
