using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.Kalshi.Stream;
using KxCollector.Status;

namespace KxCollector.Kalshi;

/// <summary>
/// The "kalshi" section of status.json and /health: the poll's state, markets in the ticks (all series), the last
/// settlement recorded and the stream's counters. Reads only atomically published memory (the boards' entry lists,
/// <see cref="KalshiActivity"/>, <see cref="StreamStats"/>), as the status writer requires.
/// </summary>
internal sealed class KalshiStatusContributor : IStatusContributor
{
    private readonly Func<IReadOnlyList<KalshiSeries>> _series;
    private readonly KalshiActivity _activity;
    private readonly StreamStats _stream;
    private readonly bool _streamConfigured;
    private readonly CollectorSwitches _switches;

    public KalshiStatusContributor(IReadOnlyList<KalshiSeries> series, KalshiActivity activity, StreamStats stream, bool streamConfigured)
        : this(() => series, activity, stream, streamConfigured, CollectorSwitches.AllOn)
    {
    }

    /// <param name="series">The recorded series now (the set grows while the collector runs).</param>
    public KalshiStatusContributor(Func<IReadOnlyList<KalshiSeries>> series, KalshiActivity activity, StreamStats stream, bool streamConfigured, CollectorSwitches switches)
    {
        _series = series;
        _activity = activity;
        _stream = stream;
        _streamConfigured = streamConfigured;
        _switches = switches;
    }

    public string Section => KalshiStatusKeys.Section;

    /// <summary>"starting" before the first answer, "error" while polls fail, "polling" otherwise.</summary>
    public string State => _activity.FailingSince is not null ? "error" : _activity.LastPollAt is null ? "starting" : "polling";

    public void WriteStatus(Utf8JsonWriter writer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var all = _series();
        writer.WriteString(KalshiStatusKeys.State, State);
        writer.WriteNumber(KalshiStatusKeys.MarketsTracked, all.Sum(s => s.Board.Current.Count));
        StatusJson.WriteTime(writer, KalshiStatusKeys.LastPollAt, _activity.LastPollAt);
        StatusJson.WriteTime(writer, "failing_since", _activity.FailingSince);
        writer.WriteString(KalshiStatusKeys.LastError, _activity.LastError);

        StatusJson.WriteTime(writer, "last_error_at", _activity.LastErrorAt);
        writer.WriteString(KalshiStatusKeys.LastSettlementTicker, _activity.LastSettlementTicker);

        StatusJson.WriteTime(writer, KalshiStatusKeys.LastSettlementAt, _activity.LastSettlementAt);

        writer.WriteStartObject("series");
        foreach (var series in all)
        {
            writer.WriteNumber(series.Series, series.Board.Current.Count);
        }

        writer.WriteEndObject();

        writer.WriteStartObject("stream");
        var open = _stream.Connects - _stream.Disconnects;

        // Without a key there is no stream at all (Kalshi's WebSocket needs one); say so rather than "disconnected".
        writer.WriteString("state", !_switches.LiveStreaming ? "off_disabled" : !_streamConfigured ? "off_no_key" : open > 0 ? "connected" : "disconnected");
        writer.WriteNumber("connections_open", Math.Max(0, open));
        writer.WriteNumber("connects", _stream.Connects);
        writer.WriteNumber("sequence_gaps", _stream.SequenceGaps);
        writer.WriteNumber("sequence_repeats", _stream.SequenceDuplicates);
        writer.WriteNumber("malformed_frames", _stream.MalformedFrames);
        writer.WriteNumber("trades_written", _stream.TradesWritten);
        writer.WriteNumber("lifecycle_written", _stream.LifecycleWritten);
        writer.WriteNumber("subscriptions_ended", _stream.SubscriptionsEnded);
        writer.WriteNumber("snapshot_requests", _stream.SnapshotRequests);
        writer.WriteEndObject();

        // ENABLE_LIVE_STREAMING, ENABLE_REST_POLLING, ENABLE_HISTORICAL_BACKFILL as configured.
        writer.WriteStartObject("switches");
        writer.WriteBoolean("live_streaming", _switches.LiveStreaming);
        writer.WriteBoolean("rest_polling", _switches.RestPolling);
        writer.WriteBoolean("historical_backfill", _switches.HistoricalBackfill);
        writer.WriteEndObject();
    }
}
