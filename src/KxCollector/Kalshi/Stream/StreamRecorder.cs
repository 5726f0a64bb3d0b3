using KxCollector.Kalshi.Markets;
using KxCollector.Recording;
using KxCollector.Records;

namespace KxCollector.Kalshi.Stream;

/// <summary>A configured series as the stream sees it: where its records go, and its tracker (told of lifecycle events).</summary>
internal sealed record StreamSeries(string Series, IRecordSink Sink, MarketTracker? Tracker);

/// <summary>
/// Writes the stream's own records to the file of the market's series:
/// <see cref="TradeRecord"/> lines (each trade once, <c>ts</c> the trade's own time) and <see cref="LifecycleRecord"/>
/// lines (<c>ts</c> when received).
/// Markets of series not configured (the lifecycle channel carries every market on Kalshi) are ignored.
/// Thread-safe: the sinks are, and each call formats into its own buffer.
/// The calls come from the stream's receive loop, i.e. the socket thread: with a <see cref="RecordHandOff"/> a call
/// only formats and hands its line over, so a sink waiting on its lock or an fsync never holds up a socket.
/// </summary>
internal sealed class StreamRecorder
{
    private readonly Func<IReadOnlyList<StreamSeries>> _series;
    private readonly TradeDeduplicator _trades;
    private readonly StreamStats _stats;
    private readonly RecordHandOff? _handOff;

    public StreamRecorder(IReadOnlyList<StreamSeries> series, TradeDeduplicator trades, StreamStats stats, RecordHandOff? handOff = null)
        : this(() => series, trades, stats, handOff)
    {
    }

    /// <param name="series">The recorded series now (the set grows while the collector runs).</param>
    /// <param name="handOff">Where lines go on their way to the sinks; null appends on the caller's thread.</param>
    public StreamRecorder(Func<IReadOnlyList<StreamSeries>> series, TradeDeduplicator trades, StreamStats stats, RecordHandOff? handOff = null)
    {
        _series = series;
        _trades = trades;
        _stats = stats;
        _handOff = handOff;
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

    /// <summary>Writes a trade unless its id was seen before. Returns true when a line was written (or handed over).</summary>
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
        Append(series.Sink, ts, FormatTrade(frame, ts));
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

        Append(series.Sink, receivedAt, FormatLifecycle(frame, receivedAt));
        _stats.LifecycleRecorded();
        series.Tracker?.OnLifecycle(new LifecycleNotice(frame.MarketTicker, frame.EventType, frame.Result));
        return true;
    }

    private void Append(IRecordSink sink, DateTimeOffset ts, byte[] line)
    {
        if (_handOff is null)
        {
            sink.Append(ts, line);
        }
        else
        {
            _handOff.Append(sink, ts, line);
        }
    }

    public static byte[] FormatTrade(TradeFrame frame, DateTimeOffset ts)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return TradeRecord.FromDollars(
            ts, frame.MarketTicker, frame.TradeId, frame.YesPriceDollars, frame.NoPriceDollars, frame.Count,
            frame.TakerSide, frame.TakerOutcomeSide, frame.TakerBookSide, frame.IsBlockTrade).Format();
    }

    /// <remarks>
    /// Kalshi's settlement_value is the payout per YES contract in dollars ("1.0000"), not the index value
    /// (expiration_value, REST only): written in cents under a name that says so.
    /// </remarks>
    public static byte[] FormatLifecycle(LifecycleFrame frame, DateTimeOffset ts)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return new LifecycleRecord(
            ts,
            frame.MarketTicker,
            frame.EventType,
            frame.Result,
            frame.SettlementValueText is not null,
            frame.SettlementValueText is { } text ? RecordJson.Cents(KalshiMarketParser.ParseExpirationValue(text)) : null,
            UnixSeconds(frame.OpenTs),
            UnixSeconds(frame.CloseTs),
            UnixSeconds(frame.DeterminationTs),
            UnixSeconds(frame.SettledTs)).Format();
    }

    private static DateTimeOffset? UnixSeconds(long? seconds) => seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
}
