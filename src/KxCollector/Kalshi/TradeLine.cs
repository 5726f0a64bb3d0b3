using System.Text.Json;
using KxCollector.Kalshi.Markets;
using KxCollector.Pricing;
using KxCollector.Recording;

namespace KxCollector.Kalshi;

/// <summary>
/// The keys of a <c>trade</c> line, one writer for the stream's and the backfill's so both stay identical but for
/// the backfill's trailing <c>"src"</c>:
/// <c>"type":"trade","ts","ticker","trade_id","yes_price","no_price","count","taker_side","taker_outcome_side","taker_book_side","is_block_trade"</c>.
/// Prices in cents, count in contracts. Kalshi deprecated <c>taker_side</c> for <c>taker_outcome_side</c> (the same
/// yes/no); each is written from the other when Kalshi sent only one, so readers of either key keep working.
/// </summary>
internal readonly record struct TradeLine(
    string Ticker,
    string TradeId,
    decimal? YesPriceDollars,
    decimal? NoPriceDollars,
    decimal? Count,
    string? TakerSide,
    string? TakerOutcomeSide,
    string? TakerBookSide,
    bool? IsBlockTrade)
{
    public void Write(Utf8JsonWriter writer, DateTimeOffset ts)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("type", "trade");
        JsonTimestamps.Write(writer, "ts", ts);
        writer.WriteString("ticker", Ticker);
        writer.WriteString("trade_id", TradeId);
        TickFormatter.WriteNullableNumber(writer, "yes_price", TickMarketEntry.Cents(YesPriceDollars));
        TickFormatter.WriteNullableNumber(writer, "no_price", TickMarketEntry.Cents(NoPriceDollars));
        TickFormatter.WriteNullableNumber(writer, "count", Count is { } c ? DecimalMath.Normalize(c) : null);
        WriteNullableString(writer, "taker_side", TakerSide ?? TakerOutcomeSide);
        WriteNullableString(writer, "taker_outcome_side", TakerOutcomeSide ?? TakerSide);
        WriteNullableString(writer, "taker_book_side", TakerBookSide);
        if (IsBlockTrade is { } block)
        {
            writer.WriteBoolean("is_block_trade", block);
        }
        else
        {
            writer.WriteNull("is_block_trade");
        }
    }

    private static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
