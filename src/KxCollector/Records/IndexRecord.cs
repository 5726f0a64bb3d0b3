using System.Text.Json;

namespace KxCollector.Records;

/// <summary>
/// The <c>index</c> record: one official print, <c>ts</c> CF's print second, <c>value</c> in dollars as Kalshi sent it,
/// <c>received_at</c> Kalshi's receive time (ours only when Kalshi left it out).
/// </summary>
internal readonly record struct IndexRecord(DateTimeOffset Ts, string IndexId, decimal Value, DateTimeOffset ReceivedAt)
{
    public const string Type = "index";
    public const string IndexIdKey = "index_id";
    public const string ValueKey = "value";
    public const string ReceivedAtKey = "received_at";

    public static readonly IReadOnlyList<string> Keys = [RecordJson.Type, RecordJson.Ts, IndexIdKey, ValueKey, ReceivedAtKey];

    /// <summary>What a scanner looking for this index's lines matches at the start of a line, before parsing it.</summary>
    public const string LinePrefixText = "{\"type\":\"index\",";

    public static readonly byte[] LinePrefix = System.Text.Encoding.UTF8.GetBytes(LinePrefixText);

    public byte[] Format() => RecordJson.Format(this, static (Utf8JsonWriter w, in IndexRecord r) => r.Write(w));

    public void Write(Utf8JsonWriter writer)
    {
        RecordJson.WriteStart(writer, Type, Ts);
        writer.WriteString(IndexIdKey, IndexId);
        writer.WriteNumber(ValueKey, Value);
        JsonTimestamps.Write(writer, ReceivedAtKey, ReceivedAt);
    }

    public static IndexRecord Read(ReadOnlySpan<byte> line) => Read(RecordReader.Open(line, Type));

    public static IndexRecord Read(RecordReader r) => new(
        r.RequiredTime(RecordJson.Ts), r.RequiredString(IndexIdKey), r.RequiredNumber(ValueKey), r.RequiredTime(ReceivedAtKey));
}
