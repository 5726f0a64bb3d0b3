using System.Text.Json;

namespace KxCollector.Records;

/// <summary>
/// The <c>lifecycle</c> record: a market lifecycle event from the stream, <c>ts</c> when received. The event's own
/// fields follow only when Kalshi sent them: <c>result</c> (when not empty), <c>yes_payout</c> (Kalshi's
/// settlement_value, the payout per YES contract, in cents; null when Kalshi sent it empty), then the times.
/// </summary>
internal sealed record LifecycleRecord(
    DateTimeOffset Ts,
    string Ticker,
    string Event,
    string? Result,
    bool HasYesPayout,
    decimal? YesPayout,
    DateTimeOffset? OpenTime,
    DateTimeOffset? CloseTime,
    DateTimeOffset? DeterminedTime,
    DateTimeOffset? SettledTime)
{
    public const string Type = "lifecycle";
    public const string EventKey = "event";
    public const string ResultKey = "result";
    public const string YesPayoutKey = "yes_payout";
    public const string OpenTimeKey = "open_time";
    public const string CloseTimeKey = "close_time";
    public const string DeterminedTimeKey = "determined_time";
    public const string SettledTimeKey = "settled_time";

    /// <summary>Older builds wrote Kalshi's payout under Kalshi's own name (in dollars): never written now, still read by the store.</summary>
    public const string OlderSettlementValueKey = "settlement_value";

    public static readonly IReadOnlyList<string> Keys =
    [
        RecordJson.Type, RecordJson.Ts, RecordJson.Ticker, EventKey, ResultKey, YesPayoutKey, OpenTimeKey, CloseTimeKey,
        DeterminedTimeKey, SettledTimeKey,
    ];

    public byte[] Format() => RecordJson.Format(this, static (Utf8JsonWriter w, in LifecycleRecord r) => r.Write(w));

    public void Write(Utf8JsonWriter writer)
    {
        RecordJson.WriteStart(writer, Type, Ts, Ticker);
        writer.WriteString(EventKey, Event);
        if (!string.IsNullOrEmpty(Result))
        {
            writer.WriteString(ResultKey, Result);
        }

        if (HasYesPayout)
        {
            RecordJson.WriteNumber(writer, YesPayoutKey, YesPayout);
        }

        RecordJson.WriteTimeIfAny(writer, OpenTimeKey, OpenTime);
        RecordJson.WriteTimeIfAny(writer, CloseTimeKey, CloseTime);
        RecordJson.WriteTimeIfAny(writer, DeterminedTimeKey, DeterminedTime);
        RecordJson.WriteTimeIfAny(writer, SettledTimeKey, SettledTime);
    }

    public static LifecycleRecord Read(ReadOnlySpan<byte> line) => Read(RecordReader.Open(line, Type));

    public static LifecycleRecord Read(RecordReader r) => new(
        r.RequiredTime(RecordJson.Ts),
        r.RequiredString(RecordJson.Ticker),
        r.RequiredString(EventKey),
        r.String(ResultKey),
        r.Has(YesPayoutKey),
        r.Number(YesPayoutKey),
        r.Time(OpenTimeKey),
        r.Time(CloseTimeKey),
        r.Time(DeterminedTimeKey),
        r.Time(SettledTimeKey));
}
