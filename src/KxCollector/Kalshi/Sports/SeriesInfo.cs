namespace KxCollector.Kalshi.Sports;

/// <summary>A series as <c>GET /series</c> lists it: what the sports resolver matches on.</summary>
internal sealed record SeriesInfo(string Ticker, string? Category, IReadOnlyList<string> Tags);
