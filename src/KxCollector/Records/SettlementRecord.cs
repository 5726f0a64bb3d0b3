using System.Text.Json;

namespace KxCollector.Records;

/// <summary>Our BRTI proxy's mean over the settlement window and how many seconds it had (series settling on BRTI).</summary>
internal readonly record struct SettlementProxy(decimal? Average, int Samples);

/// <summary>
/// What a settlement of a series on an official index adds: the prints' window mean (<c>official_avg60</c>, with
/// <c>official_samples</c>) and Kalshi's own average with its window, null when never received by this process.
/// </summary>
internal readonly record struct SettlementOfficial(
    decimal? Average, int Samples, decimal? KalshiAverage, int? KalshiWindowSize, DateTimeOffset? KalshiWindowStart, DateTimeOffset? KalshiWindowEnd);

/// <summary>
/// The <c>settlement</c> record: one per market, once, in the file of the day the result is seen. The proxy's keys
/// (<c>brti_avg60</c>, <c>brti_samples</c>) only for a series settling on BRTI, the official keys only for a series on
/// an official index, and <c>"src":"backfill"</c> last for a market that closed while the collector was down.
/// </summary>
internal sealed record SettlementRecord(
    DateTimeOffset Ts,
    string Ticker,
    DateTimeOffset? CloseTime,
    string Result,
    decimal? ExpirationValue,
    decimal? Strike,
    SettlementProxy? Proxy,
    SettlementOfficial? Official,
    string? Src)
{
    public const string Type = "settlement";
    public const string CloseTimeKey = "close_time";
    public const string ResultKey = "result";
    public const string ExpirationValueKey = "expiration_value";
    public const string StrikeKey = "strike";
    public const string BrtiAvg60Key = "brti_avg60";
    public const string BrtiSamplesKey = "brti_samples";
    public const string OfficialAvg60Key = "official_avg60";
    public const string OfficialSamplesKey = "official_samples";
    public const string KalshiAvg60Key = "kalshi_avg60";
    public const string KalshiWindowSizeKey = "kalshi_avg60_window_size";
    public const string KalshiWindowStartKey = "kalshi_avg60_window_start";
    public const string KalshiWindowEndKey = "kalshi_avg60_window_end";

    public static readonly IReadOnlyList<string> Keys =
    [
        RecordJson.Type, RecordJson.Ts, RecordJson.Ticker, CloseTimeKey, ResultKey, ExpirationValueKey, StrikeKey,
        BrtiAvg60Key, BrtiSamplesKey, OfficialAvg60Key, OfficialSamplesKey, KalshiAvg60Key, KalshiWindowSizeKey,
        KalshiWindowStartKey, KalshiWindowEndKey, RecordJson.Src,
    ];

    /// <summary>What a scanner looking for settlement lines matches at the start of a line, before parsing it.</summary>
    public const string LinePrefixText = "{\"type\":\"settlement\",";

    public static readonly byte[] LinePrefix = System.Text.Encoding.UTF8.GetBytes(LinePrefixText);

    public byte[] Format() => RecordJson.Format(this, static (Utf8JsonWriter w, in SettlementRecord r) => r.Write(w));

    public void Write(Utf8JsonWriter writer)
    {
        RecordJson.WriteStart(writer, Type, Ts, Ticker);
        RecordJson.WriteTime(writer, CloseTimeKey, CloseTime);
        writer.WriteString(ResultKey, Result);
        RecordJson.WriteNumber(writer, ExpirationValueKey, ExpirationValue);
        RecordJson.WriteNumber(writer, StrikeKey, Strike);
        if (Proxy is { } proxy)
        {
            RecordJson.WriteNumber(writer, BrtiAvg60Key, proxy.Average);
            writer.WriteNumber(BrtiSamplesKey, proxy.Samples);
        }

        if (Official is { } official)
        {
            RecordJson.WriteNumber(writer, OfficialAvg60Key, official.Average);
            writer.WriteNumber(OfficialSamplesKey, official.Samples);
            RecordJson.WriteNumber(writer, KalshiAvg60Key, official.KalshiAverage);
            RecordJson.WriteNumber(writer, KalshiWindowSizeKey, official.KalshiWindowSize);
            RecordJson.WriteTime(writer, KalshiWindowStartKey, official.KalshiWindowStart);
            RecordJson.WriteTime(writer, KalshiWindowEndKey, official.KalshiWindowEnd);
        }

        RecordJson.WriteSrc(writer, Src);
    }

    public static SettlementRecord Read(ReadOnlySpan<byte> line) => Read(RecordReader.Open(line, Type));

    public static SettlementRecord Read(RecordReader r) => new(
        r.RequiredTime(RecordJson.Ts),
        r.RequiredString(RecordJson.Ticker),
        r.Time(CloseTimeKey),
        r.String(ResultKey) ?? string.Empty,
        r.Number(ExpirationValueKey),
        r.Number(StrikeKey),
        r.Has(BrtiSamplesKey) ? new SettlementProxy(r.Number(BrtiAvg60Key), (int)(r.Integer(BrtiSamplesKey) ?? 0)) : null,
        r.Has(OfficialSamplesKey)
            ? new SettlementOfficial(
                r.Number(OfficialAvg60Key), (int)(r.Integer(OfficialSamplesKey) ?? 0), r.Number(KalshiAvg60Key),
                (int?)r.Integer(KalshiWindowSizeKey), r.Time(KalshiWindowStartKey), r.Time(KalshiWindowEndKey))
            : null,
        r.String(RecordJson.Src));
}
