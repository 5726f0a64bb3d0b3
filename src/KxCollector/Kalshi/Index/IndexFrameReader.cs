using System.Globalization;
using System.Text.Json;
using KxCollector.Pricing;

namespace KxCollector.Kalshi.Index;

/// <summary>
/// Reads a <c>cfbenchmarks_value</c> frame (docs/venues.md; tests/fixtures/frames/kalshi-ws.jsonl):
/// <c>{"type":"cfbenchmarks_value","sid":5,"seq":812,"msg":{"index_id":"BRTI","received_at":…,"data":"{\"type\":\"value\",\"id\":\"BRTI\",\"time\":…,\"value\":\"68000.12\"}",
/// "avg_60s_data":{…},"last_60s_windowed_average_15min":{"value":…,"window_size":…,"window_start_ts_ms":…,"window_end_ts_exclusive":…}}}</c>.
/// <c>data</c> is CF's own frame as a JSON string and is parsed again; its <c>time</c> and <c>value</c> are the print.
/// A frame without an index id, a time or a value is malformed (the caller counts it). Off the hot path: about
/// one frame a second per index.
/// </summary>
internal static class IndexFrameReader
{
    public const string FrameType = "cfbenchmarks_value";

    public static bool TryRead(ReadOnlySpan<byte> json, out IndexFrame frame, out string? error)
    {
        frame = default;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            if (!document.RootElement.TryGetProperty("msg", out var msg) || msg.ValueKind != JsonValueKind.Object)
            {
                error = "cfbenchmarks_value without msg";
                return false;
            }

            var indexId = msg.TryGetProperty("index_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            long? receivedAt = msg.TryGetProperty("received_at", out var r) ? Long(r) : null;
            if (!msg.TryGetProperty("data", out var dataElement) || dataElement.ValueKind != JsonValueKind.String)
            {
                error = "cfbenchmarks_value without its data string";
                return false;
            }

            using var data = JsonDocument.Parse(dataElement.GetString()!);
            var cf = data.RootElement;
            long? time = cf.TryGetProperty("time", out var t) ? Long(t) : null;
            decimal? value = cf.TryGetProperty("value", out var v) ? Decimal(v) : null;
            indexId ??= cf.TryGetProperty("id", out var cfId) && cfId.ValueKind == JsonValueKind.String ? cfId.GetString() : null;
            if (string.IsNullOrEmpty(indexId) || time is null || value is null)
            {
                error = "cfbenchmarks_value without index_id, data.time or data.value";
                return false;
            }

            KalshiWindowAverage? average = null;
            if (msg.TryGetProperty("last_60s_windowed_average_15min", out var avg) && avg.ValueKind == JsonValueKind.Object &&
                (avg.TryGetProperty("value", out var av) ? Decimal(av) : null) is { } avgValue &&
                (avg.TryGetProperty("window_start_ts_ms", out var ws) ? Long(ws) : null) is { } start &&
                (avg.TryGetProperty("window_end_ts_exclusive", out var we) ? Long(we) : null) is { } end)
            {
                var size = avg.TryGetProperty("window_size", out var sz) ? Long(sz) : null;
                average = new KalshiWindowAverage(avgValue, (int)(size ?? 0), start, end);
            }

            frame = new IndexFrame(new IndexPrint(indexId, time.Value, value.Value, receivedAt ?? 0), average);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            error = ex.Message;
            return false;
        }
    }

    private static long? Long(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetInt64(out var value) => value,
        JsonValueKind.String when long.TryParse(element.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static decimal? Decimal(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDecimal(),
        JsonValueKind.String when !string.IsNullOrWhiteSpace(element.GetString()) =>
            decimal.Parse(element.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => null,
    };
}
