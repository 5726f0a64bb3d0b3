using System.Buffers;
using System.Text.Json;

namespace KxCollector.Records;

/// <summary>
/// The <c>game</c> record: <c>ts</c> when the live data was read, the milestone and the events it covers,
/// <c>milestone_type</c> (null when Kalshi gave none) and <c>details</c> exactly as Kalshi sent it (only line breaks
/// between its tokens are taken out, so a record stays one line).
/// </summary>
internal sealed record GameRecord(DateTimeOffset Ts, string MilestoneId, IReadOnlyList<string> EventTickers, string? MilestoneType, string DetailsJson)
{
    public const string Type = "game";
    public const string MilestoneIdKey = "milestone_id";
    public const string EventTickersKey = "event_tickers";
    public const string MilestoneTypeKey = "milestone_type";
    public const string DetailsKey = "details";

    public static readonly IReadOnlyList<string> Keys = [RecordJson.Type, RecordJson.Ts, MilestoneIdKey, EventTickersKey, MilestoneTypeKey, DetailsKey];

    public byte[] Format()
    {
        var buffer = new ArrayBufferWriter<byte>(256 + DetailsJson.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public void Write(Utf8JsonWriter writer)
    {
        RecordJson.WriteStart(writer, Type, Ts);
        writer.WriteString(MilestoneIdKey, MilestoneId);
        writer.WriteStartArray(EventTickersKey);
        foreach (var ticker in EventTickers)
        {
            writer.WriteStringValue(ticker);
        }

        writer.WriteEndArray();
        RecordJson.WriteString(writer, MilestoneTypeKey, MilestoneType);
        writer.WritePropertyName(DetailsKey);
        if (DetailsJson.AsSpan().IndexOfAny('\n', '\r') < 0)
        {
            writer.WriteRawValue(DetailsJson, skipInputValidation: false);
        }
        else
        {
            // A line break between tokens would split the record across two lines: same values, compact.
            using var document = JsonDocument.Parse(DetailsJson);
            document.RootElement.WriteTo(writer);
        }
    }

    public static GameRecord Read(ReadOnlySpan<byte> line) => Read(RecordReader.Open(line, Type));

    public static GameRecord Read(RecordReader r) => new(
        r.RequiredTime(RecordJson.Ts),
        r.RequiredString(MilestoneIdKey),
        r.Strings(EventTickersKey),
        r.String(MilestoneTypeKey),
        r.Element(DetailsKey)?.GetRawText() ?? "null");
}
