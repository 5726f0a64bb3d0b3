using System.Globalization;
using System.Text;

namespace KxCollector.Kalshi.Rest;

/// <summary>
/// The GET /markets filters the collector uses. <see cref="Status"/> takes the query words (unopened, open, closed,
/// settled). Kalshi documents its timestamp filters as exclusive of each other and of some statuses: close-time
/// filters go with "closed" or no status, settled-time filters with "settled" or no status; other pairs may be 400.
/// </summary>
internal sealed record MarketQuery
{
    /// <summary>Kalshi allows up to 1000; 200 keeps each page small while one page still holds a day of KXBTC15M.</summary>
    public const int DefaultLimit = 200;

    public string? SeriesTicker { get; init; }

    public string? Status { get; init; }

    public IReadOnlyList<string>? Tickers { get; init; }

    public DateTimeOffset? MinCloseTime { get; init; }

    public DateTimeOffset? MaxCloseTime { get; init; }

    public DateTimeOffset? MinSettledTime { get; init; }

    public int Limit { get; init; } = DefaultLimit;

    public string ToQueryString(string? cursor)
    {
        var query = new StringBuilder();
        Add(query, "series_ticker", SeriesTicker);
        Add(query, "status", Status);
        Add(query, "tickers", Tickers is { Count: > 0 } tickers ? string.Join(',', tickers) : null);
        Add(query, "min_close_ts", MinCloseTime?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        Add(query, "max_close_ts", MaxCloseTime?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        Add(query, "min_settled_ts", MinSettledTime?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        Add(query, "limit", Limit.ToString(CultureInfo.InvariantCulture));
        Add(query, "cursor", cursor);
        return query.ToString();
    }

    /// <summary>For logs: what was asked, without the cursor.</summary>
    public override string ToString() => ToQueryString(null);

    private static void Add(StringBuilder query, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }
}
