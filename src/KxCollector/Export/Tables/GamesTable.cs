using System.Buffers;
using System.Text;
using System.Text.Json;
using KxCollector.Store.Records;

namespace KxCollector.Export.Tables;

/// <summary>
/// Sports game states, from the store's <see cref="GameStateRow"/>: event_tickers as a JSON array's text (written as
/// the recorder writes it) and details (Kalshi's object, verbatim) as JSON text.
/// </summary>
internal static class GamesTable
{
    public static ExportTable<GameStateRow> Shape { get; } = new("games",
    [
        new TimeColumn<GameStateRow>("ts", r => r.Timestamp),
        new TextColumn<GameStateRow>("milestone_id", r => r.MilestoneId),
        new TextColumn<GameStateRow>("milestone_type", r => r.MilestoneType),
        new TextColumn<GameStateRow>("event_tickers", r => JsonArray(r.EventTickers)),
        new TextColumn<GameStateRow>("details", r => r.Details),
    ]);

    private static string JsonArray(string[] values)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
