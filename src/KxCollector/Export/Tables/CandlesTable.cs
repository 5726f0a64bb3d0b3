using KxCollector.Records;
using KxCollector.Store.Records;

namespace KxCollector.Export.Tables;

/// <summary>The backfill's candles: ts is the period's end, interval_minutes its length (1m → 1, 1h → 60, 1d → 1440).</summary>
internal static class CandlesTable
{
    public static ExportTable<CandleRow> Shape { get; } = new("candles",
    [
        new TimeColumn<CandleRow>("ts", r => r.EndPeriod),
        new TextColumn<CandleRow>("ticker", r => r.Ticker),
        new IntColumn<CandleRow>("interval_minutes", r => r.PeriodMinutes),
        .. Ohlc("yes_bid", r => r.YesBid, withMean: false),
        .. Ohlc("yes_ask", r => r.YesAsk, withMean: false),
        .. Ohlc("price", r => r.Price, withMean: true),
        new DecimalColumn<CandleRow>("volume", r => r.Volume),
        new DecimalColumn<CandleRow>("open_interest", r => r.OpenInterest),
        new TextColumn<CandleRow>("src", r => r.Src),
    ]);

    private static IEnumerable<ExportColumn<CandleRow>> Ohlc(string prefix, Func<CandleRow, Ohlc> get, bool withMean)
    {
        yield return new DecimalColumn<CandleRow>(prefix + "_open", r => get(r).Open);
        yield return new DecimalColumn<CandleRow>(prefix + "_high", r => get(r).High);
        yield return new DecimalColumn<CandleRow>(prefix + "_low", r => get(r).Low);
        yield return new DecimalColumn<CandleRow>(prefix + "_close", r => get(r).Close);
        if (withMean)
        {
            yield return new DecimalColumn<CandleRow>(prefix + "_mean", r => get(r).Mean);
            yield return new DecimalColumn<CandleRow>(prefix + "_previous", r => get(r).Previous);
        }
    }
}
