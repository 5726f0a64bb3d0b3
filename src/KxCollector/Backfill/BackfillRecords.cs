using System.Buffers;
using System.Text.Json;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Markets;
using KxCollector.Pricing;
using KxCollector.Recording;
using KxCollector.Records;
using KxCollector.Kalshi.History;

namespace KxCollector.Backfill;

/// <summary>
/// The JSONL records of the backfill, in the live records' units: prices in cents as exact decimals ("0.0560" is
/// 5.6), counts in contracts, timestamps UTC with milliseconds. Every record has "type", "ts" (the instant it
/// describes, which also names its daily file) and "src":"backfill" last. Keys in a fixed order, so a record fetched
/// twice is written byte for byte the same. See <see cref="BackfillKeys"/> for what makes each one unique.
/// <list type="bullet">
/// <item><c>{"type":"market","ts":close,"ticker","event_ticker","status","open_time","close_time","settlement_ts","result","expiration_value","strike","cap_strike","last_price","volume","open_interest","src":"backfill"}</c></item>
/// <item>a <c>trade</c> line exactly as the stream writes it (<see cref="Kalshi.TradeLine"/>), then <c>"src":"backfill"</c></item>
/// <item><c>{"type":"candle","ts":end,"ticker","interval","end","yes_bid":{"open","low","high","close"},"yes_ask":{…},"price":{"open","low","high","close","mean","previous"},"volume","open_interest","src":"backfill"}</c></item>
/// </list>
/// </summary>
internal static class BackfillRecords
{

    public static byte[] Market(KalshiMarket market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return Write(writer =>
        {
            writer.WriteString("type", "market");
            JsonTimestamps.Write(writer, "ts", market.CloseTime!.Value);
            writer.WriteString("ticker", market.Ticker);
            WriteNullableString(writer, "event_ticker", market.EventTicker);
            writer.WriteString("status", market.Status);
            WriteNullableTime(writer, "open_time", market.OpenTime);
            WriteNullableTime(writer, "close_time", market.CloseTime);
            WriteNullableTime(writer, "settlement_ts", market.SettlementTime);
            writer.WriteString("result", market.Result);
            WriteNumber(writer, "expiration_value", market.ExpirationValue);
            WriteNumber(writer, "strike", market.FloorStrike);
            WriteNumber(writer, "cap_strike", market.CapStrike);
            WriteNumber(writer, "last_price", Cents(market.LastPrice));
            WriteNumber(writer, "volume", market.Volume);
            WriteNumber(writer, "open_interest", market.OpenInterest);
        });
    }

    public static byte[] Trade(KalshiTrade trade)
    {
        ArgumentNullException.ThrowIfNull(trade);
        var line = new TradeLine(
            trade.Ticker, trade.TradeId, trade.YesPrice, trade.NoPrice, trade.Count, trade.TakerSide, trade.TakerOutcomeSide, trade.TakerBookSide, trade.IsBlockTrade);
        return Write(writer => line.Write(writer, trade.CreatedTime));
    }

    public static byte[] Candle(string ticker, CandleInterval interval, KalshiCandle candle)
    {
        ArgumentNullException.ThrowIfNull(candle);
        return Write(writer =>
        {
            writer.WriteString("type", "candle");
            JsonTimestamps.Write(writer, "ts", candle.End);
            writer.WriteString("ticker", ticker);
            writer.WriteString("interval", interval.Name);
            JsonTimestamps.Write(writer, "end", candle.End);
            WriteOhlc(writer, "yes_bid", candle.YesBid, null, null, withMeanAndPrevious: false);
            WriteOhlc(writer, "yes_ask", candle.YesAsk, null, null, withMeanAndPrevious: false);
            WriteOhlc(writer, "price", candle.Price, candle.PriceMean, candle.PricePrevious, withMeanAndPrevious: true);
            WriteNumber(writer, "volume", candle.Volume);
            WriteNumber(writer, "open_interest", candle.OpenInterest);
        });
    }

    private static void WriteOhlc(Utf8JsonWriter writer, string name, Ohlc ohlc, decimal? mean, decimal? previous, bool withMeanAndPrevious)
    {
        writer.WriteStartObject(name);
        WriteNumber(writer, "open", Cents(ohlc.Open));
        WriteNumber(writer, "low", Cents(ohlc.Low));
        WriteNumber(writer, "high", Cents(ohlc.High));
        WriteNumber(writer, "close", Cents(ohlc.Close));
        if (withMeanAndPrevious)
        {
            WriteNumber(writer, "mean", Cents(mean));
            WriteNumber(writer, "previous", Cents(previous));
        }

        writer.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteString("src", RecordSource.Backfill);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static decimal? Cents(decimal? dollars) => TickMarketEntry.Cents(dollars);

    private static void WriteNumber(Utf8JsonWriter writer, string name, decimal? value) =>
        TickFormatter.WriteNullableNumber(writer, name, value is { } v ? DecimalMath.Normalize(v) : null);

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

    private static void WriteNullableTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            JsonTimestamps.Write(writer, name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
