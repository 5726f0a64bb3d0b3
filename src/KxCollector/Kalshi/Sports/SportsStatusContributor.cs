using System.Text.Json;
using KxCollector.Kalshi.Games;
using KxCollector.Status;

namespace KxCollector.Kalshi.Sports;

/// <summary>
/// The "sports" section of status.json: per TARGET_SPORTS sport the series it resolved to, the last one added and
/// when, and its problem if any; when the series list was last read; and the game poll (games known, live now,
/// game lines written, last read, last error).
/// </summary>
internal sealed class SportsStatusContributor : IStatusContributor
{
    private readonly SportsStatus _sports;
    private readonly GameStats _games;

    public SportsStatusContributor(SportsStatus sports, GameStats games)
    {
        _sports = sports;
        _games = games;
    }

    public string Section => "sports";

    public void WriteStatus(Utf8JsonWriter writer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(writer);
        StatusJson.WriteTime(writer, "last_series_check_at", _sports.LastCheckAt);
        writer.WriteStartObject("resolved");
        foreach (var (sport, facts) in _sports.Facts.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject(sport);
            writer.WriteStartArray("series");
            foreach (var series in facts.Series)
            {
                writer.WriteStringValue(series);
            }

            writer.WriteEndArray();
            writer.WriteString("last_added", facts.LastAdded);
            StatusJson.WriteTime(writer, "last_added_at", facts.LastAddedAt);
            writer.WriteString("problem", facts.Problem);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartObject("games");
        writer.WriteNumber("tracked", _games.Tracked);
        writer.WriteNumber("live", _games.Live);
        writer.WriteNumber("lines_written", _games.LinesWritten);
        StatusJson.WriteTime(writer, "last_poll_at", _games.LastPollAt);
        writer.WriteString("last_error", _games.LastError);
        writer.WriteEndObject();
    }
}
