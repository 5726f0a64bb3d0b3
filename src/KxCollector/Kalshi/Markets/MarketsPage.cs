namespace KxCollector.Kalshi.Markets;

/// <summary>One page of GET /markets; an empty or missing cursor ends paging.</summary>
internal sealed record MarketsPage(IReadOnlyList<KalshiMarket> Markets, string? Cursor);
