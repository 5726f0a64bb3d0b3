using KxCollector.Records;
namespace KxCollector.Status;

/// <summary>
/// The keys of status.json's Kalshi section: <c>Kalshi/KalshiStatusContributor</c> (an <see cref="IStatusContributor"/>
/// with <see cref="IStatusContributor.Section"/> = <see cref="Section"/>, fed by every series' market tracker and the
/// stream) writes them; `kxcollector status` (and so `botctl status`) prints them by these names. The keys live here,
/// below Kalshi, because Status's StatusReport reads them back. Without that contributor the section reads <c>{"state":"not_configured"}</c>.
/// </summary>
internal static class KalshiStatusKeys
{
    public const string Section = "kalshi";

    /// <summary>"polling", "error", "not_configured", …: one word for humans and scripts.</summary>
    public const string State = "state";

    /// <summary>Number of markets currently written into each tick.</summary>
    public const string MarketsTracked = "markets_tracked";

    /// <summary>UTC time of the last successful poll (JsonTimestamps format), or null.</summary>
    public const string LastPollAt = "last_poll_at";

    /// <summary>The last poll or connection error message, or null.</summary>
    public const string LastError = "last_error";

    /// <summary>Ticker of the last settlement recorded, or null.</summary>
    public const string LastSettlementTicker = "last_settlement_ticker";

    /// <summary>UTC time the last settlement was recorded, or null.</summary>
    public const string LastSettlementAt = "last_settlement_at";

    public const string NotConfigured = "not_configured";
}
