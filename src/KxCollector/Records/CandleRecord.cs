using System.Text.Json;

namespace KxCollector.Records;

/// <summary>
/// Open, low, high, close of one price over a candle's period (and, for the trade price, the period's
/// volume-weighted mean and the last price before it). The one OHLC of the project: Kalshi's history, the
/// <c>candle</c> record and the store all use it, in this order.
/// </summary>
internal readonly record struct Ohlc(decimal? Open, decimal? Low, decimal? High, decimal? Close, decimal? Mean = null, decimal? Previous = null)
{
    public static readonly Ohlc Empty;
}

/// <summary>
/// The <c>candle</c> record of the backfill: <c>ts</c> and <c>end</c> the inclusive end of the period, the bid's,
/// ask's and trade price's OHLC in cents (the price's with mean and previous), volume and open interest in contracts,
/// <c>"src":"backfill"</c> last.
/// </summary>
internal sealed record CandleRecord(
    DateTimeOffset Ts,
    string Ticker,
    string Interval,
    DateTimeOffset End,
    Ohlc YesBid,
    Ohlc YesAsk,
    Ohlc Price,
    decimal? Volume,
    decimal? OpenInterest,
    string? Src = RecordSource.Backfill)
{
    public const string Type = "candle";
    public const string IntervalKey = "interval";
    public const string EndKey = "end";
    public const string YesBidKey = "yes_bid";
    public const string YesAskKey = "yes_ask";
    public const string PriceKey = "price";
    public const string VolumeKey = "volume";
    public const string OpenInterestKey = "open_interest";
    public const string OpenKey = "open";
    public const string LowKey = "low";
    public const string HighKey = "high";
    public const string CloseKey = "close";
    public const string MeanKey = "mean";
    public const string PreviousKey = "previous";

    /// <summary>
    /// Kalshi's own candle keys (minutes as a number, Unix seconds), never written by this record: the store also
    /// reads candles kept in Kalshi's shape, so the names live here with the record's own.
    /// </summary>
    public const string KalshiPeriodIntervalKey = "period_interval";

    public const string KalshiEndPeriodTsKey = "end_period_ts";

    public static readonly IReadOnlyList<string> Keys =
    [
        RecordJson.Type, RecordJson.Ts, RecordJson.Ticker, IntervalKey, EndKey, YesBidKey, YesAskKey, PriceKey, VolumeKey,
        OpenInterestKey, RecordJson.Src,
    ];

    /// <summary>The keys inside <c>yes_bid</c>/<c>yes_ask</c> (the first four) and <c>price</c> (all six).</summary>
    public static readonly IReadOnlyList<string> OhlcKeys = [OpenKey, LowKey, HighKey, CloseKey, MeanKey, PreviousKey];

    public byte[] Format() => RecordJson.Format(this, static (Utf8JsonWriter w, in CandleRecord r) => r.Write(w));

    public void Write(Utf8JsonWriter writer)
    {
        RecordJson.WriteStart(writer, Type, Ts, Ticker);
        writer.WriteString(IntervalKey, Interval);
        JsonTimestamps.Write(writer, EndKey, End);
        WriteOhlc(writer, YesBidKey, YesBid, withMeanAndPrevious: false);
        WriteOhlc(writer, YesAskKey, YesAsk, withMeanAndPrevious: false);
        WriteOhlc(writer, PriceKey, Price, withMeanAndPrevious: true);
        RecordJson.WriteNumber(writer, VolumeKey, Volume);
        RecordJson.WriteNumber(writer, OpenInterestKey, OpenInterest);
        RecordJson.WriteSrc(writer, Src);
    }

    public static CandleRecord Read(ReadOnlySpan<byte> line) => Read(RecordReader.Open(line, Type));

    public static CandleRecord Read(RecordReader r) => new(
        r.RequiredTime(RecordJson.Ts),
        r.RequiredString(RecordJson.Ticker),
        r.RequiredString(IntervalKey),
        r.Time(EndKey) ?? r.RequiredTime(RecordJson.Ts),
        ReadOhlc(r.Object(YesBidKey)),
        ReadOhlc(r.Object(YesAskKey)),
        ReadOhlc(r.Object(PriceKey)),
        r.Number(VolumeKey),
        r.Number(OpenInterestKey),
        r.String(RecordJson.Src));

    private static Ohlc ReadOhlc(RecordReader? o) => o is { } r
        ? new Ohlc(r.Number(OpenKey), r.Number(LowKey), r.Number(HighKey), r.Number(CloseKey), r.Number(MeanKey), r.Number(PreviousKey))
        : Ohlc.Empty;

    private static void WriteOhlc(Utf8JsonWriter writer, string name, in Ohlc ohlc, bool withMeanAndPrevious)
    {
        writer.WriteStartObject(name);
        RecordJson.WriteNumber(writer, OpenKey, ohlc.Open);
        RecordJson.WriteNumber(writer, LowKey, ohlc.Low);
        RecordJson.WriteNumber(writer, HighKey, ohlc.High);
        RecordJson.WriteNumber(writer, CloseKey, ohlc.Close);
        if (withMeanAndPrevious)
        {
            RecordJson.WriteNumber(writer, MeanKey, ohlc.Mean);
            RecordJson.WriteNumber(writer, PreviousKey, ohlc.Previous);
        }

        writer.WriteEndObject();
    }
}
