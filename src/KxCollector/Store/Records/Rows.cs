using KxCollector.Records;
namespace KxCollector.Store.Records;

// The rows one JSONL line can turn into, one type per table. Times are UTC DateTime (what Npgsql writes to
// timestamptz); prices are cents as decimal, exactly as recorded.

/// <summary>OfficialIndex/OfficialIndexTs: the latest official print (dollars) and its second, on ticks of a series that settles on one.</summary>
internal readonly record struct IndexTickRow(
    DateTime Timestamp, string Series, decimal? Brti, decimal? Coinbase, decimal? Kraken, decimal? Bitstamp, decimal? OfficialIndex = null, DateTime? OfficialIndexTs = null);

/// <summary>One official CF Benchmarks print (an <c>index</c> line), value in dollars.</summary>
internal readonly record struct IndexPrintRow(string IndexId, DateTime Timestamp, decimal Value, DateTime? ReceivedAt);

/// <summary>The official index columns of a settlement row (null for series without an official index).</summary>
internal readonly record struct OfficialSettlementColumns(
    decimal? OfficialAvg60, int? OfficialSamples, decimal? KalshiAvg60, int? KalshiWindowSize, DateTime? KalshiWindowStart, DateTime? KalshiWindowEnd);

internal readonly record struct SnapshotRow(
    string Ticker,
    DateTime Timestamp,
    string? Status,
    decimal? YesBid,
    decimal? YesAsk,
    decimal? NoBid,
    decimal? NoAsk,
    decimal? LastPrice,
    decimal? Volume,
    decimal? OpenInterest,
    decimal? Strike,
    int? SecsLeft,
    int? AgeMs,
    string? Src);

/// <summary>The books as their recorded JSON text (<c>[[5.6,4000],[5.5,120]]</c>), stored as jsonb without re-serialising.</summary>
internal readonly record struct DepthRow(string Ticker, DateTime Timestamp, string? YesBook, string? NoBook);

/// <summary>
/// The trade's keys as recorded. TakerOutcomeSide is Kalshi's taker_outcome_side (yes/no), TakerSide its deprecated
/// taker_side; TakerBookSide bid/ask; each null where the line does not carry it (older lines, the backfill's).
/// </summary>
internal readonly record struct TradeRow(
    string TradeId,
    string Ticker,
    DateTime Timestamp,
    decimal? YesPrice,
    decimal? NoPrice,
    decimal? Count,
    string? TakerSide,
    string? Src,
    string? TakerOutcomeSide = null,
    string? TakerBookSide = null,
    bool? IsBlockTrade = null)
{
    /// <summary>The taker's yes/no as the trades table holds it: taker_outcome_side, else the deprecated taker_side.</summary>
    public string? Side => TakerOutcomeSide ?? TakerSide;
}

internal readonly record struct SettlementRow(
    string Ticker,
    DateTime Timestamp,
    DateTime? CloseTime,
    string? Result,
    decimal? ExpirationValue,
    decimal? Strike,
    decimal? BrtiAvg60,
    int? BrtiSamples,
    string? Src,
    OfficialSettlementColumns Official = default);

internal readonly record struct LifecycleRow(string Ticker, DateTime Timestamp, string Event, string Details, string? Src, LifecycleFields Fields = default);

/// <summary>
/// The event's own fields where it carries them (the store keeps the whole line in details; the export has them as
/// columns). SettlementValue: older builds' settlement_value (Kalshi's payout as they wrote it, never the index value);
/// YesPayout: the newer lines' payout per YES contract, in cents.
/// </summary>
internal readonly record struct LifecycleFields(
    string? Result, decimal? SettlementValue, decimal? YesPayout, DateTime? OpenTime, DateTime? CloseTime, DateTime? DeterminedTime, DateTime? SettledTime);

/// <summary>Previous: Kalshi's price.previous, the last trade price before the period (only the traded price has one).</summary>

internal readonly record struct CandleRow(
    string Ticker,
    int PeriodMinutes,
    DateTime EndPeriod,
    Ohlc YesBid,
    Ohlc YesAsk,
    Ohlc Price,
    decimal? Volume,
    decimal? OpenInterest,
    string? Src);

/// <summary>A game line: <see cref="Details"/> is its details object's exact text, stored as jsonb.</summary>
internal readonly record struct GameStateRow(string MilestoneId, DateTime Timestamp, string[] EventTickers, string? MilestoneType, string Details);

/// <summary>A game as its lines in one batch describe it: the latest event list and type, the first and last line's time.</summary>
internal sealed record GameMilestoneRow(string MilestoneId, string? MilestoneType, string[] EventTickers, DateTime FirstSeen, DateTime LastSeen);
