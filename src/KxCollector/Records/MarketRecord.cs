using System.Text.Json;

namespace KxCollector.Records;

/// <summary>
/// The <c>market</c> record of the backfill: a market's metadata and result as Kalshi's history has it, <c>ts</c> its
/// close time, <c>last_price</c> in cents, <c>"src":"backfill"</c> last.
/// </summary>
internal sealed record MarketRecord(
    DateTimeOffset Ts,
    string Ticker,
    string? EventTicker,
    string Status,
    DateTimeOffset? OpenTime,
    DateTimeOffset? CloseTime,
    DateTimeOffset? SettlementTs,
    string Result,
    decimal? ExpirationValue,
    decimal? Strike,
    decimal? CapStrike,
    decimal? LastPrice,
    decimal? Volume,
    decimal? OpenInterest,
    string? Src = RecordSource.Backfill)
{
    public const string Type = "market";
    public const string EventTickerKey = "event_ticker";
    public const string StatusKey = "status";
    public const string OpenTimeKey = "open_time";
    public const string CloseTimeKey = "close_time";
    public const string SettlementTsKey = "settlement_ts";
    public const string ResultKey = "result";
    public const string ExpirationValueKey = "expiration_value";
    public const string StrikeKey = "strike";
    public const string CapStrikeKey = "cap_strike";
    public const string LastPriceKey = "last_price";
    public const string VolumeKey = "volume";
    public const string OpenInterestKey = "open_interest";

    public static readonly IReadOnlyList<string> Keys =
    [
        RecordJson.Type, RecordJson.Ts, RecordJson.Ticker, EventTickerKey, StatusKey, OpenTimeKey, CloseTimeKey, SettlementTsKey,
        ResultKey, ExpirationValueKey, StrikeKey, CapStrikeKey, LastPriceKey, VolumeKey, OpenInterestKey, RecordJson.Src,
    ];

    public byte[] Format() => RecordJson.Format(this, static (Utf8JsonWriter w, in MarketRecord r) => r.Write(w));

    public void Write(Utf8JsonWriter writer)
    {
        RecordJson.WriteStart(writer, Type, Ts, Ticker);
        RecordJson.WriteString(writer, EventTickerKey, EventTicker);
        writer.WriteString(StatusKey, Status);
        RecordJson.WriteTime(writer, OpenTimeKey, OpenTime);
        RecordJson.WriteTime(writer, CloseTimeKey, CloseTime);
        RecordJson.WriteTime(writer, SettlementTsKey, SettlementTs);
        writer.WriteString(ResultKey, Result);
        RecordJson.WriteNumber(writer, ExpirationValueKey, ExpirationValue);
        RecordJson.WriteNumber(writer, StrikeKey, Strike);
        RecordJson.WriteNumber(writer, CapStrikeKey, CapStrike);
        RecordJson.WriteNumber(writer, LastPriceKey, LastPrice);
        RecordJson.WriteNumber(writer, VolumeKey, Volume);
        RecordJson.WriteNumber(writer, OpenInterestKey, OpenInterest);
        RecordJson.WriteSrc(writer, Src);
    }

    public static MarketRecord Read(ReadOnlySpan<byte> line) => Read(RecordReader.Open(line, Type));

    public static MarketRecord Read(RecordReader r) => new(
        r.RequiredTime(RecordJson.Ts),
        r.RequiredString(RecordJson.Ticker),
        r.String(EventTickerKey),
        r.String(StatusKey) ?? string.Empty,
        r.Time(OpenTimeKey),
        r.Time(CloseTimeKey),
        r.Time(SettlementTsKey),
        r.String(ResultKey) ?? string.Empty,
        r.Number(ExpirationValueKey),
        r.Number(StrikeKey),
        r.Number(CapStrikeKey),
        r.Number(LastPriceKey),
        r.Number(VolumeKey),
        r.Number(OpenInterestKey),
        r.String(RecordJson.Src));
}
