using KxCollector.Records;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KxCollector.Hosting;
using KxCollector.Recording;
using KxCollector.Cli;

namespace KxCollector.Status;

/// <summary>What `kxcollector status` found, rendered for people (<see cref="ToText"/>) or scripts (<see cref="ToJson"/>).</summary>
internal sealed record StatusReport(
    DateTimeOffset Now,
    string OutputDirectory,
    DayFileFacts Today,
    DateTimeOffset? LastTickAt,
    JsonDocument? Status,
    string? StatusError,
    IReadOnlyList<string> NotRecordingReasons,
    IReadOnlyList<string> ReportedProblems,
    DiskSpace? Disk,
    int ExitCode)
{
    /// <summary>A status.json older than this was not written by a running collector.</summary>
    public static readonly TimeSpan StatusStaleAfter = TimeSpan.FromSeconds(5);

    public string ToText()
    {
        var c = CultureInfo.InvariantCulture;
        var w = new StringBuilder();
        void Line(string label, string text) => w.Append(c, $"{label,-11} {text}\n");

        var root = Status?.RootElement;
        if (root is { } r)
        {
            var writtenAt = StatusCommand.ReadTime(Status, "written_at");
            var age = writtenAt is { } at ? StatusCommand.Seconds(Now - at) + " ago" : "at an unknown time";
            var stale = writtenAt is null || Now - writtenAt.Value > StatusStaleAfter ? " — STALE: the collector is not running, figures below are its last" : string.Empty;
            Line("collector", $"PID {Text(r, "pid")}, version {Text(r, "version")}, started {Text(r, "started_at")} (status.json written {age}{stale})");
        }
        else
        {
            Line("collector", StatusError is null
                ? $"no {StatusFileService.FileName} in {OutputDirectory}: the collector has not run with this OUTPUT_DIR"
                : $"{StatusFileService.FileName} unreadable: {StatusError}");
        }

        Line("last tick", LastTickAt is { } last ? $"{JsonTimestamps.ToText(last)} ({StatusCommand.Seconds(Now - last)} ago)" : "none");
        Line("today", Today.Exists
            ? $"{Today.Path}: {Today.Lines} lines, {DiskSpace.Human(Today.Bytes)}; {Today.Ticks} ticks{TickRange()}"
            : $"{Today.Path}: not there yet");
        Line("missing", $"{Today.MissingSecondsAt(Now)} s today since 00:00 UTC; {Today.MissingSecondsSinceFirstTickAt(Now)} s since the first tick");

        if (root is { } rs && rs.TryGetProperty("feeds", out var feeds) && feeds.ValueKind == JsonValueKind.Object)
        {
            var label = "feeds";
            foreach (var feed in feeds.EnumerateObject())
            {
                var f = feed.Value;
                var error = f.TryGetProperty("last_error", out var e) && e.ValueKind == JsonValueKind.String ? $"; last error: {e.GetString()}" : string.Empty;
                Line(label, $"{feed.Name,-9} {(Flag(f, "connected") ? "connected" : "DISCONNECTED")}, {(Flag(f, "fresh") ? "fresh" : "STALE")}, {Text(f, "reconnects")} reconnects, {Text(f, "malformed_frames")} malformed{error}");
                label = string.Empty;
            }
        }

        if (root is { } rk && rk.TryGetProperty(KalshiStatusKeys.Section, out var kalshi) && kalshi.ValueKind == JsonValueKind.Object)
        {
            Line("kalshi", $"state {Text(kalshi, KalshiStatusKeys.State)}, markets tracked {Text(kalshi, KalshiStatusKeys.MarketsTracked)}, last poll {Text(kalshi, KalshiStatusKeys.LastPollAt)}");
            Line("settlement", $"last seen {Text(kalshi, KalshiStatusKeys.LastSettlementTicker)} at {Text(kalshi, KalshiStatusKeys.LastSettlementAt)}");
            if (kalshi.TryGetProperty(KalshiStatusKeys.LastError, out var ke) && ke.ValueKind == JsonValueKind.String)
            {
                var at = kalshi.TryGetProperty("last_error_at", out var kat) && kat.ValueKind == JsonValueKind.String ? $" (at {kat.GetString()})" : string.Empty;
                Line(string.Empty, $"last error{at}: {ke.GetString()}");
            }

            if (kalshi.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.Object)
            {
                Line("stream", $"{Text(stream, "state")}, {Text(stream, "connections_open")} connections, {Text(stream, "sequence_gaps")} sequence gaps, {Text(stream, "subscriptions_ended")} subscriptions ended, {Text(stream, "trades_written")} trades, {Text(stream, "malformed_frames")} malformed");
            }
        }

        if (root is { } ro && ro.TryGetProperty(OfficialIndexSection.Name, out var official) && official.ValueKind == JsonValueKind.Object)
        {
            Line("official", OfficialIndexSection.Describe(official));
        }

        if (root is { } rp && rp.TryGetProperty("process", out var process) && process.ValueKind == JsonValueKind.Object &&
            process.TryGetProperty("rss_bytes", out var rss) && rss.TryGetInt64(out var rssBytes) &&
            process.TryGetProperty("gc_heap_bytes", out var heap) && heap.TryGetInt64(out var heapBytes))
        {
            Line("memory", $"RSS {DiskSpace.Human(rssBytes)}, GC heap {DiskSpace.Human(heapBytes)}, {Text(process, "gc_gen2_collections")} full collections");
        }

        Line("disk", Disk is { } d ? $"{DiskSpace.Human(d.FreeBytes)} free of {DiskSpace.Human(d.TotalBytes)} (the file system of {d.Path})" : "unknown");
        Line("health", ExitCode switch
        {
            ExitCodes.Ok => "OK",
            ExitCodes.Unhealthy => $"UNHEALTHY: {string.Join("; ", ReportedProblems)}",
            _ => $"NOT RECORDING: {string.Join("; ", NotRecordingReasons)}",
        });
        return w.ToString();
    }

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, StatusJson.WriterOptions))
        {
            writer.WriteStartObject();
            JsonTimestamps.Write(writer, "checked_at", Now);
            writer.WriteNumber("exit_code", ExitCode);
            writer.WriteBoolean("recording", NotRecordingReasons.Count == 0);
            writer.WriteBoolean("healthy", ExitCode == ExitCodes.Ok);
            writer.WriteStartArray("problems");
            foreach (var problem in NotRecordingReasons.Concat(ReportedProblems))
            {
                writer.WriteStringValue(problem);
            }

            writer.WriteEndArray();
            if (LastTickAt is { } last)
            {
                JsonTimestamps.Write(writer, "last_tick_at", last);
                writer.WriteNumber("last_tick_age_seconds", Math.Round((Now - last).TotalSeconds, 3));
            }
            else
            {
                writer.WriteNull("last_tick_at");
                writer.WriteNull("last_tick_age_seconds");
            }

            StatusJson.WriteToday(writer, Today, Now);
            writer.WriteStartObject("disk");
            writer.WriteString("path", Disk?.Path);
            WriteOptional(writer, "free_bytes", Disk?.FreeBytes);
            WriteOptional(writer, "total_bytes", Disk?.TotalBytes);
            writer.WriteEndObject();
            writer.WritePropertyName("status_file");
            if (Status is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                Status.RootElement.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private string TickRange() =>
        Today.FirstTickAt is { } first && Today.LastTickAt is { } last
            ? $" from {first.UtcDateTime:HH:mm:ss} to {last.UtcDateTime:HH:mm:ss} UTC"
            : string.Empty;

    private static void WriteOptional(Utf8JsonWriter writer, string name, long? value)
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

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>A scalar as text for people: "-" for null or absent, so a missing Kalshi field reads as "not known".</summary>
    private static string Text(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? "-" : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "-",
            JsonValueKind.Null => "-",
            _ => value.GetRawText(),
        };
}
