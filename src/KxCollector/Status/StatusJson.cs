using KxCollector.Records;
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using KxCollector.Recording;

namespace KxCollector.Status;

/// <summary>
/// The status document shared by status.json and GET /health. Keys are snake_case and stable: botctl, healthcheck.sh
/// and people's own scripts read them. Times are UTC in the data files' format.
/// </summary>
internal static class StatusJson
{
    public const int SchemaVersion = 1;

    /// <summary>Relaxed escaping: the document is never embedded in HTML, and "1.0.0+abc" should read as written for grep and people.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(StatusSnapshot snapshot, IEnumerable<IStatusContributor> contributors)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, snapshot, contributors);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, StatusSnapshot s, IEnumerable<IStatusContributor> contributors)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(contributors);

        writer.WriteStartObject();
        writer.WriteNumber("schema", SchemaVersion);
        JsonTimestamps.Write(writer, "written_at", s.At);
        writer.WriteBoolean("healthy", s.Healthy);
        writer.WriteStartArray("problems");
        foreach (var problem in s.Problems)
        {
            writer.WriteStringValue(problem);
        }

        writer.WriteEndArray();
        writer.WriteString("summary", s.Summary());
        writer.WriteNumber("pid", s.Pid);
        JsonTimestamps.Write(writer, "started_at", s.StartedAt);
        writer.WriteString("version", s.Version);
        writer.WriteString("series", s.Series);
        writer.WriteString("output_dir", s.OutputDirectory);

        writer.WriteStartObject("tick");
        WriteTime(writer, "last_at", s.LastTickAt);
        WriteNumber(writer, "last_age_seconds", s.LastTickAgeSeconds);
        writer.WriteNumber("written_since_start", s.TicksWritten);
        writer.WriteNumber("waiting_for_disk", s.TicksWaitingForDisk);
        writer.WriteNumber("seconds_skipped_since_start", s.SecondsSkipped);
        writer.WriteEndObject();

        WriteToday(writer, s.Today, s.At);

        writer.WriteStartObject("feeds");
        foreach (var feed in s.Feeds)
        {
            writer.WriteStartObject(feed.Name);
            writer.WriteBoolean("connected", feed.Connected);
            writer.WriteBoolean("fresh", feed.Fresh);
            WriteTime(writer, "last_frame_at", feed.LastFrameAt);
            writer.WriteNumber("reconnects", feed.Reconnects);
            writer.WriteNumber("malformed_frames", feed.MalformedFrames);
            if (feed.LastError is null)
            {
                writer.WriteNull("last_error");
            }
            else
            {
                writer.WriteString("last_error", feed.LastError);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();

        var wroteKalshi = false;
        foreach (var contributor in contributors)
        {
            writer.WriteStartObject(contributor.Section);
            contributor.WriteStatus(writer, s.At);
            writer.WriteEndObject();
            wroteKalshi |= contributor.Section == KalshiStatusKeys.Section;
        }

        if (!wroteKalshi)
        {
            writer.WriteStartObject(KalshiStatusKeys.Section);
            writer.WriteString(KalshiStatusKeys.State, KalshiStatusKeys.NotConfigured);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    internal static void WriteToday(Utf8JsonWriter writer, DayFileFacts today, DateTimeOffset now)
    {
        writer.WriteStartObject("today");
        writer.WriteString("date", today.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("file", today.Path);
        writer.WriteBoolean("file_exists", today.Exists);
        writer.WriteNumber("bytes", today.Bytes);
        writer.WriteNumber("lines", today.Lines);
        writer.WriteNumber("ticks", today.Ticks);
        WriteTime(writer, "first_tick_at", today.FirstTickAt);
        WriteTime(writer, "last_tick_at", today.LastTickAt);
        writer.WriteNumber("missing_seconds", today.MissingSecondsAt(now));
        writer.WriteNumber("missing_seconds_since_first_tick", today.MissingSecondsSinceFirstTickAt(now));
        writer.WriteEndObject();
    }

    /// <summary>A UTC time in the data files' format, or null. Shared with the status contributors.</summary>
    internal static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value) => RecordJson.WriteTime(writer, name, value);

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
