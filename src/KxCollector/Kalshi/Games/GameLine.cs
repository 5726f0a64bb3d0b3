using System.Buffers;
using System.Text.Json;
using KxCollector.Recording;

namespace KxCollector.Kalshi.Games;

/// <summary>
/// The <c>game</c> record, its one writer:
/// <c>{"type":"game","ts":…,"milestone_id":…,"event_tickers":[…],"milestone_type":…,"details":{…}}</c> — <c>ts</c> when
/// the live data was read, <c>milestone_type</c> the milestone's type (null when Kalshi gave none), <c>details</c>
/// exactly as Kalshi sent it (only line breaks between its tokens are taken out).
/// </summary>
internal static class GameLine
{
    public const string Type = "game";

    public static byte[] Format(DateTimeOffset ts, GameMilestone milestone, LiveData live)
    {
        ArgumentNullException.ThrowIfNull(milestone);
        ArgumentNullException.ThrowIfNull(live);
        var buffer = new ArrayBufferWriter<byte>(256 + live.DetailsJson.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", Type);
            JsonTimestamps.Write(writer, "ts", ts);
            writer.WriteString("milestone_id", milestone.Id);
            writer.WriteStartArray("event_tickers");
            foreach (var ticker in milestone.EventTickers)
            {
                writer.WriteStringValue(ticker);
            }

            writer.WriteEndArray();
            if ((milestone.Type ?? live.Type) is { } type)
            {
                writer.WriteString("milestone_type", type);
            }
            else
            {
                writer.WriteNull("milestone_type");
            }

            writer.WritePropertyName("details");
            if (live.DetailsJson.AsSpan().IndexOfAny('\n', '\r') < 0)
            {
                writer.WriteRawValue(live.DetailsJson, skipInputValidation: false);
            }
            else
            {
                // A line break between tokens would split the record across two lines: same values, compact.
                using var document = JsonDocument.Parse(live.DetailsJson);
                document.RootElement.WriteTo(writer);
            }
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
