namespace KxCollector.Store.Records;

// The rows one JSONL line can turn into, one type per table. Times are UTC DateTime (what Npgsql writes to
// timestamptz); prices are cents as decimal, exactly as recorded.

/// <summary>OfficialIndex/OfficialIndexTs: the latest official print (dollars) and its second, on ticks of a series that settles on one.</summary>
internal readonly record struct IndexTickRow(
    DateTime Timestamp, string Series, decimal? Brti, decimal? Coinbase, decimal? Kraken, decimal? Bitstamp, decimal? OfficialIndex = null, DateTime? OfficialIndexTs = null);

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
    bool? IsBlockTrade = null);

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
    OfficialSettlement Official = default);

/// <summary>
/// A settlement line's official-index figures (series settling on an official index): the mean of the official prints
/// in the window (cents-rounded dollars) and their count, and Kalshi's own 60 s average with the window it states.
/// </summary>
internal readonly record struct OfficialSettlement(
    decimal? OfficialAvg60, int? OfficialSamples, decimal? KalshiAvg60, int? KalshiWindowSize, DateTime? KalshiWindowStart, DateTime? KalshiWindowEnd);

internal readonly record struct LifecycleRow(string Ticker, DateTime Timestamp, string Event, string Details, string? Src, LifecycleFields Fields = default);

/// <summary>
/// The event's own fields where it carries them. SettlementValue: the older lines' settlement_value; YesPayout: the
/// newer lines' payout per YES contract, in cents.
/// </summary>
internal readonly record struct LifecycleFields(
    string? Result, decimal? SettlementValue, decimal? YesPayout, DateTime? OpenTime, DateTime? CloseTime, DateTime? DeterminedTime, DateTime? SettledTime);

/// <summary>One official index print as Kalshi streams it: the CF print's second, the value in dollars, when Kalshi received it.</summary>
internal readonly record struct IndexPrintRow(DateTime Timestamp, string? IndexId, decimal? Value, DateTime? ReceivedAt);

/// <summary>A sports game's state as read from Kalshi: event tickers and details as their recorded JSON text.</summary>
internal readonly record struct GameRow(DateTime Timestamp, string MilestoneId, string? EventTickers, string? MilestoneType, string? Details);

/// <summary>Previous: Kalshi's price.previous, the last trade price before the period (only the traded price has one).</summary>
internal readonly record struct Ohlc(decimal? Open, decimal? High, decimal? Low, decimal? Close, decimal? Mean, decimal? Previous = null);

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
