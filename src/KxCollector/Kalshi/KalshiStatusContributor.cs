using System.Text.Json;
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
    private readonly IReadOnlyList<KalshiSeries> _series;
    private readonly KalshiActivity _activity;
    private readonly StreamStats _stream;
    private readonly bool _streamConfigured;

    public KalshiStatusContributor(IReadOnlyList<KalshiSeries> series, KalshiActivity activity, StreamStats stream, bool streamConfigured)
    {
        _series = series;
        _activity = activity;
        _stream = stream;
        _streamConfigured = streamConfigured;
    }

    public string Section => KalshiStatusKeys.Section;

    /// <summary>"starting" before the first answer, "error" while polls fail, "polling" otherwise.</summary>
    public string State => _activity.FailingSince is not null ? "error" : _activity.LastPollAt is null ? "starting" : "polling";

    public void WriteStatus(Utf8JsonWriter writer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(KalshiStatusKeys.State, State);
        writer.WriteNumber(KalshiStatusKeys.MarketsTracked, _series.Sum(s => s.Board.Current.Count));
        StatusJson.WriteTime(writer, KalshiStatusKeys.LastPollAt, _activity.LastPollAt);
        StatusJson.WriteTime(writer, "failing_since", _activity.FailingSince);
        writer.WriteString(KalshiStatusKeys.LastError, _activity.LastError);

        StatusJson.WriteTime(writer, "last_error_at", _activity.LastErrorAt);
        writer.WriteString(KalshiStatusKeys.LastSettlementTicker, _activity.LastSettlementTicker);

        StatusJson.WriteTime(writer, KalshiStatusKeys.LastSettlementAt, _activity.LastSettlementAt);

        writer.WriteStartObject("series");
        foreach (var series in _series)
        {
            writer.WriteNumber(series.Series, series.Board.Current.Count);
        }

        writer.WriteEndObject();

        writer.WriteStartObject("stream");
        var open = _stream.Connects - _stream.Disconnects;

        // Without a key there is no stream at all (Kalshi's WebSocket needs one); say so rather than "disconnected".
        writer.WriteString("state", !_streamConfigured ? "off_no_key" : open > 0 ? "connected" : "disconnected");
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
    }
}
