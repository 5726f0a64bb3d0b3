using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace KxCollector.Fakes.Kalshi;

/// <summary>
/// The fake's <c>cfbenchmarks_value</c> channel, in the shape of tests/fixtures/frames/kalshi-ws.jsonl (last lines):
/// subscribe with <c>index_ids</c> (acked as Kalshi's channel page shows, <c>{"id","type":"subscribed","sid"}</c>, no
/// channel name), then once a second, <see cref="IndexDelay"/> after each whole second S, one print per subscribed
/// index stamped S with the value <see cref="IndexValueAt"/>, its trailing <c>avg_60s_data</c>, and in the final minute
/// before each quarter hour T (S in T−59 … T) <c>last_60s_windowed_average_15min</c> over (T−60 s, S]. Can refuse the
/// subscribe with an error answering it (<see cref="RefuseIndexSubscription"/>).
/// </summary>
public sealed partial class FakeKalshiWebSocket
{
    public const string IndexChannel = "cfbenchmarks_value";

    private readonly CancellationTokenSource _indexStop = new();
    private readonly ConcurrentQueue<(string IndexId, long Second)> _published = new();
    private long _lastPublishedSecond;
    private Task? _indexLoop;

    /// <summary>When set, a cfbenchmarks_value subscribe is answered with this error (code, msg) and nothing is sent.</summary>
    public (int Code, string Message)? RefuseIndexSubscription { get; set; }

    /// <summary>How long after its whole second a print is sent (Kalshi's arrive a few hundred ms late).</summary>
    public TimeSpan IndexDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The period of Kalshi's windowed average (a quarter hour); tests shorten it so a close with an average comes
    /// within seconds. Whole seconds, at least 1.
    /// </summary>
    public int IndexAveragePeriodSeconds { get; set; } = 900;

    /// <summary>Every print sent, (index id, Unix second), in order; a print sent to two subscriptions is listed once per send.</summary>
    public IReadOnlyList<(string IndexId, long Second)> PublishedPrints => _published.ToArray();

    /// <summary>The fake's official print of an index at a Unix second: a deterministic, 2-decimal value that moves every second.</summary>
    public static decimal IndexValueAt(string indexId, long second)
    {
        ArgumentNullException.ThrowIfNull(indexId);
        var basis = indexId switch
        {
            "BRTI" => 65_000m,
            "ETHUSD_RTI" => 3_000m,
            "SOLUSD_RTI" => 150m,
            _ => 1m,
        };
        return basis + ((second % 600) * 0.37m) + ((second % 7) * 0.01m);
    }

    /// <summary>The mean of <see cref="IndexValueAt"/> over the prints stamped <paramref name="fromSecond"/> … <paramref name="toSecond"/>.</summary>
    public static decimal IndexMean(string indexId, long fromSecond, long toSecond)
    {
        var sum = 0m;
        for (var s = fromSecond; s <= toSecond; s++)
        {
            sum += IndexValueAt(indexId, s);
        }

        return sum / (toSecond - fromSecond + 1);
    }

    /// <summary>Sends the prints stamped <paramref name="second"/> to every cfbenchmarks_value subscription now.</summary>
    public async Task PublishIndexPrintsAsync(long second)
    {
        Volatile.Write(ref _lastPublishedSecond, second);
        foreach (var session in _sessions.Values)
        {
            foreach (var indexId in session.MarketsOf(IndexChannel).Distinct(StringComparer.Ordinal).ToList())
            {
                var msg = IndexMessage(indexId, second, _time.GetUtcNow().ToUnixTimeMilliseconds(), IndexAveragePeriodSeconds);
                _published.Enqueue((indexId, second));
                await session.SendToChannelAsync(IndexChannel, indexId, (sid, seq) => Frame(IndexChannel, sid, seq, msg), withSeq: true);
            }
        }
    }

    private static JsonObject IndexMessage(string indexId, long second, long receivedAt, int period)
    {
        var c = CultureInfo.InvariantCulture;
        var value = IndexValueAt(indexId, second);
        var data = $"{{\"type\":\"value\",\"id\":\"{indexId}\",\"time\":{second * 1000},\"value\":\"{value.ToString("0.00", c)}\"}}";
        var msg = new JsonObject
        {
            ["index_id"] = indexId,
            ["received_at"] = receivedAt,
            ["data"] = data,
            ["avg_60s_data"] = Average(indexId, second - 59, second, 60, ((second - 60) * 1000) + 1, (second * 1000) + 1),
        };

        var close = second % period == 0 ? second : second + (period - (second % period));
        if (close - second < 60)
        {
            var from = close - 59;
            msg["last_60s_windowed_average_15min"] = Average(indexId, from, second, (int)(second - from + 1), ((close - 60) * 1000) + 1, (second * 1000) + 1);
        }

        return msg;
    }

    private static JsonObject Average(string indexId, long from, long to, int size, long startMs, long endExclusiveMs) => new()
    {
        ["value"] = IndexMean(indexId, from, to).ToString("0.00000000", CultureInfo.InvariantCulture),
        ["window_size"] = size,
        ["window_start_ts_ms"] = startMs,
        ["window_end_ts_exclusive"] = endExclusiveMs,
    };

    private void StartIndexPublisher() => _indexLoop = Task.Run(() => IndexLoopAsync(_indexStop.Token));

    private async Task StopIndexPublisherAsync()
    {
        await _indexStop.CancelAsync();
        if (_indexLoop is not null)
        {
            try
            {
                await _indexLoop;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task IndexLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var second = (nowMs / 1000) + 1;
            var due = (second * 1000) + (long)IndexDelay.TotalMilliseconds;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, due - nowMs)), _time, stop);
            await PublishIndexPrintsAsync(second);
        }
    }

    private sealed partial class Session
    {
        public async Task SubscribeIndexAsync(long id, JsonObject parameters)
        {
            if (owner.RefuseIndexSubscription is { } refusal)
            {
                await SendAsync(new JsonObject { ["id"] = id, ["type"] = "error", ["msg"] = new JsonObject { ["code"] = refusal.Code, ["msg"] = refusal.Message } });
                return;
            }

            var ids = (parameters["index_ids"] as JsonArray ?? []).Select(t => t!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            long sid;
            lock (_gate)
            {
                sid = ++_nextSid;
                _subs[sid] = (IndexChannel, ids);
            }

            // Kalshi's cfbenchmarks_value page shows the ack with sid at the top level and no channel name.
            await SendAsync(new JsonObject { ["id"] = id, ["type"] = "subscribed", ["sid"] = sid });

            // The latest print again at once, as a new subscriber gets it: after a reconnect it is one already sent.
            if (Volatile.Read(ref owner._lastPublishedSecond) is var last and > 0)
            {
                foreach (var indexId in ids)
                {
                    var msg = IndexMessage(indexId, last, owner._time.GetUtcNow().ToUnixTimeMilliseconds(), owner.IndexAveragePeriodSeconds);
                    owner._published.Enqueue((indexId, last));
                    await SendAsync(Frame(IndexChannel, sid, NextSeq(sid), msg));
                }
            }
        }
    }
}
