using KxCollector.Kalshi.History;
using KxCollector.Kalshi.Markets;
using KxCollector.Records;

namespace KxCollector.Backfill;

/// <summary>
/// The backfill's records from Kalshi's history, in the live records' units: prices in cents as exact decimals
/// ("0.0560" is 5.6), counts in contracts, each ending with <c>"src":"backfill"</c>: a <see cref="MarketRecord"/>, a
/// <see cref="TradeRecord"/> exactly as the stream writes it, a <see cref="CandleRecord"/>. A record fetched twice is
/// written byte for byte the same. See <see cref="BackfillKeys"/> for what makes each one unique.
/// </summary>
internal static class BackfillRecords
{
    public static byte[] Market(KalshiMarket market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return new MarketRecord(
            market.CloseTime!.Value,
            market.Ticker,
            market.EventTicker,
            market.Status,
            market.OpenTime,
            market.CloseTime,
            market.SettlementTime,
            market.Result,
            RecordJson.Normalize(market.ExpirationValue),
            RecordJson.Normalize(market.FloorStrike),
            RecordJson.Normalize(market.CapStrike),
            RecordJson.Cents(market.LastPrice),
            RecordJson.Normalize(market.Volume),
            RecordJson.Normalize(market.OpenInterest)).Format();
    }

    public static byte[] Trade(KalshiTrade trade)
    {
        ArgumentNullException.ThrowIfNull(trade);
        return TradeRecord.FromDollars(
            trade.CreatedTime, trade.Ticker, trade.TradeId, trade.YesPrice, trade.NoPrice, trade.Count,
            trade.TakerSide, trade.TakerOutcomeSide, trade.TakerBookSide, trade.IsBlockTrade, RecordSource.Backfill).Format();
    }

    public static byte[] Candle(string ticker, CandleInterval interval, KalshiCandle candle)
    {
        ArgumentNullException.ThrowIfNull(interval);
        ArgumentNullException.ThrowIfNull(candle);
        return new CandleRecord(
            candle.End,
            ticker,
            interval.Name,
            candle.End,
            Cents(candle.YesBid),
            Cents(candle.YesAsk),
            Cents(candle.Price with { Mean = candle.PriceMean, Previous = candle.PricePrevious }),
            RecordJson.Normalize(candle.Volume),
            RecordJson.Normalize(candle.OpenInterest)).Format();
    }

    private static Ohlc Cents(Ohlc dollars) => new(
        RecordJson.Cents(dollars.Open), RecordJson.Cents(dollars.Low), RecordJson.Cents(dollars.High), RecordJson.Cents(dollars.Close),
        RecordJson.Cents(dollars.Mean), RecordJson.Cents(dollars.Previous));
}
