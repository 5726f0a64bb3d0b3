namespace KxCollector.Fakes.Kalshi;

/// <summary>
/// A scripted market: its status follows the clock the way Kalshi's does — initialized before open_time, active
/// until close_time, closed until <see cref="FinalizeAfterClose"/> has passed, then finalized with its result.
/// Prices are the dollar strings Kalshi sends.
/// </summary>
public sealed class FakeMarket
{
    public required string Ticker { get; init; }

    public string? EventTicker { get; init; }

    public required DateTimeOffset OpenTime { get; init; }

    public required DateTimeOffset CloseTime { get; init; }

    /// <summary>How long after close the result is published; null: never (a market whose result is late).</summary>
    public TimeSpan? FinalizeAfterClose { get; set; } = TimeSpan.FromSeconds(11);

    /// <summary>floor_strike as a JSON number; null until Kalshi sets it.</summary>
    public decimal? FloorStrike { get; set; }

    public string Result { get; set; } = "yes";

    /// <summary>expiration_value as Kalshi writes it (sometimes "79,604.96").</summary>
    public string ExpirationValue { get; set; } = "65776.62";

    public string? YesBid { get; set; } = "0.0560";

    public string? YesAsk { get; set; } = "0.0570";

    public string? NoBid { get; set; } = "0.9430";

    public string? NoAsk { get; set; } = "0.9440";

    public string? LastPrice { get; set; } = "0.0560";

    public string Volume { get; set; } = "1552141.80";

    public string OpenInterest { get; set; } = "480551.08";

    /// <summary>Forces a status (e.g. "inactive" for a paused market) whatever the clock says.</summary>
    public string? StatusOverride { get; set; }

    public string SeriesTicker => Ticker.Split('-')[0];

    public string StatusAt(DateTimeOffset now)
    {
        if (StatusOverride is { } forced)
        {
            return forced;
        }

        if (now < OpenTime)
        {
            return "initialized";
        }

        if (now < CloseTime)
        {
            return "active";
        }

        return FinalizeAfterClose is { } after && now >= CloseTime + after ? "finalized" : "closed";
    }
}
