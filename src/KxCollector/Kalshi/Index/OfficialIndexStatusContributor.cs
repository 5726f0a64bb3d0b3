using System.Text.Json;
using KxCollector.Status;

namespace KxCollector.Kalshi.Index;

/// <summary>
/// The "official_index" section of status.json and /health:
/// <c>{"state":"subscribed|pending|refused|off_no_key|off","error":…,"indexes":{"BRTI":{"last_print_ts":…,"last_print_age_s":…,"value":…}},"prints_written":…,"print_repeats":…,"malformed_frames":…}</c>.
/// Reads only published memory (the board's prints, the feed's state record).
/// </summary>
internal sealed class OfficialIndexStatusContributor : IStatusContributor
{
    private readonly OfficialIndexFeed? _feed;
    private readonly bool _keyConfigured;

    public OfficialIndexStatusContributor(OfficialIndexFeed? feed, bool keyConfigured)
    {
        _feed = feed;
        _keyConfigured = keyConfigured;
    }

    public string Section => OfficialIndexSection.Name;

    public string State => _feed is null || _feed.IndexIds.Count == 0 ? "off"
        : !_keyConfigured ? "off_no_key"
        : _feed.State switch
        {
            OfficialIndexState.Subscribed => "subscribed",
            OfficialIndexState.Refused => "refused",
            _ => "pending",
        };

    public void WriteStatus(Utf8JsonWriter writer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("state", State);
        writer.WriteString("error", _feed?.State == OfficialIndexState.Refused ? _feed.RefusedError : null);
        writer.WriteStartObject("indexes");
        if (_feed is not null)
        {
            for (var slot = 0; slot < _feed.IndexIds.Count; slot++)
            {
                writer.WriteStartObject(_feed.IndexIds[slot]);
                var print = _feed.Board.Latest(slot);
                StatusJson.WriteTime(writer, "last_print_ts", print?.Time);
                if (print is not null)
                {
                    writer.WriteNumber("last_print_age_s", Math.Round((now - print.Time).TotalSeconds, 1));
                    writer.WriteNumber("value", print.Value);
                }
                else
                {
                    writer.WriteNull("last_print_age_s");
                    writer.WriteNull("value");
                }

                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
        writer.WriteNumber("prints_written", _feed?.Recorder.Written ?? 0);
        writer.WriteNumber("print_repeats", _feed?.Recorder.Repeats ?? 0);
        writer.WriteNumber("malformed_frames", _feed?.MalformedFrames ?? 0);
    }
}
