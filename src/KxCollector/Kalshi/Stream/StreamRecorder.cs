using System.Buffers;
using System.Text.Json;
using KxCollector.Kalshi.Markets;
using KxCollector.Recording;

namespace KxCollector.Kalshi.Stream;

/// <summary>A configured series as the stream sees it: where its records go, and its tracker (told of lifecycle events).</summary>
internal sealed record StreamSeries(string Series, IRecordSink Sink, MarketTracker? Tracker);

/// <summary>
/// Writes the stream's own records to the file of the market's series:
/// <c>trade</c> lines (see <see cref="TradeLine"/>; each trade once, <c>ts</c> the trade's own time) and
/// <c>{"type":"lifecycle","ts":…,"ticker":…,"event":…,…}</c> (<c>ts</c> when received; the event's own fields
/// follow when present: result, yes_payout (cents), open_time, close_time, determined_time, settled_time).
/// Markets of series not configured (the lifecycle channel carries every market on Kalshi) are ignored.
/// Thread-safe: the sinks are, and each call formats into its own buffer.
/// </summary>
internal sealed class StreamRecorder
{
    private readonly Func<IReadOnlyList<StreamSeries>> _series;
    private readonly TradeDeduplicator _trades;
    private readonly StreamStats _stats;

    public StreamRecorder(IReadOnlyList<StreamSeries> series, TradeDeduplicator trades, StreamStats stats)
        : this(() => series, trades, stats)
    {
    }

    /// <param name="series">The recorded series now (the set grows while the collector runs).</param>
    public StreamRecorder(Func<IReadOnlyList<StreamSeries>> series, TradeDeduplicator trades, StreamStats stats)
    {
        _series = series;
        _trades = trades;
        _stats = stats;
    }

    /// <summary>The configured series a market belongs to (its ticker starts with "SERIES-"), or null.</summary>
    public StreamSeries? SeriesOf(string ticker)
    {
        foreach (var series in _series())
        {
            if (ticker.Length > series.Series.Length && ticker[series.Series.Length] == '-' &&
                ticker.StartsWith(series.Series, StringComparison.Ordinal))
            {
                return series;
            }
        }

        return null;
    }

    /// <summary>Writes a trade unless its id was seen before. Returns true when a line was written.</summary>
    public bool RecordTrade(TradeFrame frame, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (SeriesOf(frame.MarketTicker) is not { } series)
        {
            return false;
        }

        if (!_trades.TryAdd(frame.TradeId))
        {
            _stats.TradeRepeated();
            return false;
        }

        var ts = frame.TsMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : receivedAt;
        series.Sink.Append(ts, FormatTrade(frame, ts));
        _stats.TradeWritten();
        return true;
    }

    /// <summary>Writes a lifecycle line and tells the series' tracker. Returns true when a line was written.</summary>
    public bool RecordLifecycle(LifecycleFrame frame, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (SeriesOf(frame.MarketTicker) is not { } series)
        {
            return false;
        }

        series.Sink.Append(receivedAt, FormatLifecycle(frame, receivedAt));
        _stats.LifecycleRecorded();
        series.Tracker?.OnLifecycle(new LifecycleNotice(frame.MarketTicker, frame.EventType, frame.Result));
        return true;
    }

    public static byte[] FormatTrade(TradeFrame frame, DateTimeOffset ts)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var line = new TradeLine(
            frame.MarketTicker,
            frame.TradeId,
            frame.YesPriceDollars,
            frame.NoPriceDollars,
            frame.Count,
            frame.TakerSide,
            frame.TakerOutcomeSide,
            frame.TakerBookSide,
            frame.IsBlockTrade);
        return Format(writer => line.Write(writer, ts));
    }

    public static byte[] FormatLifecycle(LifecycleFrame frame, DateTimeOffset ts)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Format(writer =>
        {
            writer.WriteString("type", "lifecycle");
            JsonTimestamps.Write(writer, "ts", ts);
            writer.WriteString("ticker", frame.MarketTicker);
            writer.WriteString("event", frame.EventType);
            if (!string.IsNullOrEmpty(frame.Result))
            {
                writer.WriteString("result", frame.Result);
            }

            // Kalshi's settlement_value is the payout per YES contract in dollars ("1.0000"), not the index value
            // (expiration_value, REST only): written in cents under a name that says so.
            if (frame.SettlementValueText is { } text)
            {
                TickFormatter.WriteNullableNumber(writer, "yes_payout", TickMarketEntry.Cents(KalshiMarketParser.ParseExpirationValue(text)));
            }

            WriteUnixSeconds(writer, "open_time", frame.OpenTs);
            WriteUnixSeconds(writer, "close_time", frame.CloseTs);
            WriteUnixSeconds(writer, "determined_time", frame.DeterminationTs);
            WriteUnixSeconds(writer, "settled_time", frame.SettledTs);
        });
    }

    private static void WriteUnixSeconds(Utf8JsonWriter writer, string name, long? seconds)
    {
        if (seconds is { } s)
        {
            JsonTimestamps.Write(writer, name, DateTimeOffset.FromUnixTimeSeconds(s));
        }
    }

    private static byte[] Format(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
