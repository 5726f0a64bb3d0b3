using System.Text;
using System.Text.Json;
using KxCollector.Kalshi.Games;

namespace KxCollector.Store.Records;

/// <summary>
/// The store's reading of a <see cref="GameLine"/> record (<c>milestone_id</c>, <c>ts</c>, <c>event_tickers</c>,
/// <c>milestone_type</c>, <c>details</c>), into a <see cref="GameStateRow"/>. Game lines are a few a minute, so they
/// are read again here rather than through <see cref="RecordParser"/>'s per-field state; <c>details</c> is kept as
/// its exact text.
/// </summary>
internal static class GameRecordParser
{
    /// <summary>The row, or null when the line lacks its milestone id, time or details object.</summary>
    public static GameStateRow? Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        string? id = null;
        DateTime? ts = null;
        string? type = null;
        string? details = null;
        var tickers = new List<string>();
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("milestone_id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                ts = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at) ? at.UtcDateTime : null;
            }
            else if (reader.ValueTextEquals("milestone_type"u8))
            {
                reader.Read();
                type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("event_tickers"u8))
            {
                reader.Read();
                tickers.AddRange(Kalshi.Sports.SportsParser.ReadStrings(ref reader));
            }
            else if (reader.ValueTextEquals("details"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    details = Encoding.UTF8.GetString(line[start..(int)reader.BytesConsumed]);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return id is null || ts is null || details is null ? null : new GameStateRow(id, ts.Value, [.. tickers], type, details);
    }
}
