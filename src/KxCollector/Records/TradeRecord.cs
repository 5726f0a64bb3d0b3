using System.Text.Json;

namespace KxCollector.Records;

/// <summary>
/// The <c>trade</c> record, written by the stream (each trade once, <c>ts</c> the trade's own time) and by the backfill
/// (the same keys, then <c>"src":"backfill"</c>): one writer, so the two stay identical. Prices in cents, count in
/// contracts. Kalshi deprecated <c>taker_side</c> for <c>taker_outcome_side</c> (the same yes/no); each is written from
/// the other when Kalshi sent only one, so readers of either key keep working.
/// </summary>
internal readonly record struct TradeRecord(
    DateTimeOffset Ts,
    string Ticker,
    string TradeId,
    decimal? YesPrice,
    decimal? NoPrice,
    decimal? Count,
    string? TakerSide,
    string? TakerOutcomeSide,
    string? TakerBookSide,
    bool? IsBlockTrade,
    string? Src = null)
{
    public const string Type = "trade";
    public const string TradeIdKey = "trade_id";
    public const string YesPriceKey = "yes_price";
    public const string NoPriceKey = "no_price";
    public const string CountKey = "count";
    public const string TakerSideKey = "taker_side";
    public const string TakerOutcomeSideKey = "taker_outcome_side";
    public const string TakerBookSideKey = "taker_book_side";
    public const string IsBlockTradeKey = "is_block_trade";

    public static readonly IReadOnlyList<string> Keys =
    [
        RecordJson.Type, RecordJson.Ts, RecordJson.Ticker, TradeIdKey, YesPriceKey, NoPriceKey, CountKey, TakerSideKey,
        TakerOutcomeSideKey, TakerBookSideKey, IsBlockTradeKey, RecordJson.Src,
    ];

    /// <summary>From Kalshi's units (dollars, counts with trailing zeros) to the record's (cents, normalised).</summary>
    public static TradeRecord FromDollars(
        DateTimeOffset ts, string ticker, string tradeId, decimal? yesPriceDollars, decimal? noPriceDollars, decimal? count,
        string? takerSide, string? takerOutcomeSide, string? takerBookSide, bool? isBlockTrade, string? src = null) =>
        new(ts, ticker, tradeId, RecordJson.Cents(yesPriceDollars), RecordJson.Cents(noPriceDollars), RecordJson.Normalize(count),
            takerSide, takerOutcomeSide, takerBookSide, isBlockTrade, src);

    public byte[] Format() => RecordJson.Format(this, static (Utf8JsonWriter w, in TradeRecord r) => r.Write(w));

    public void Write(Utf8JsonWriter writer)
    {
        RecordJson.WriteStart(writer, Type, Ts, Ticker);
        writer.WriteString(TradeIdKey, TradeId);
        RecordJson.WriteNumber(writer, YesPriceKey, YesPrice);
        RecordJson.WriteNumber(writer, NoPriceKey, NoPrice);
        RecordJson.WriteNumber(writer, CountKey, Count);
        RecordJson.WriteString(writer, TakerSideKey, TakerSide ?? TakerOutcomeSide);
        RecordJson.WriteString(writer, TakerOutcomeSideKey, TakerOutcomeSide ?? TakerSide);
        RecordJson.WriteString(writer, TakerBookSideKey, TakerBookSide);
        RecordJson.WriteBoolean(writer, IsBlockTradeKey, IsBlockTrade);
        RecordJson.WriteSrc(writer, Src);
    }

    public static TradeRecord Read(ReadOnlySpan<byte> line) => Read(RecordReader.Open(line, Type));

    public static TradeRecord Read(RecordReader r) => new(
        r.RequiredTime(RecordJson.Ts),
        r.RequiredString(RecordJson.Ticker),
        r.RequiredString(TradeIdKey),
        r.Number(YesPriceKey),
        r.Number(NoPriceKey),
        r.Number(CountKey),
        r.String(TakerSideKey),
        r.String(TakerOutcomeSideKey),
        r.String(TakerBookSideKey),
        r.Boolean(IsBlockTradeKey),
        r.String(RecordJson.Src));
}
