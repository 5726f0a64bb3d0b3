using KxCollector.Records;
using System.Buffers;
using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.Recording;
using KxCollector.Status;
using Microsoft.AspNetCore.Http;

namespace KxCollector.StatusPage;

/// <summary>
/// GET /recent.json on HEALTH_PORT: the last hour of the primary series' recorded ticks in columns (the status page's
/// charts). <c>t</c> holds each tick's ts as Unix milliseconds; <c>brti</c>, <c>official_index</c>, <c>coinbase</c>,
/// <c>kraken</c>, <c>bitstamp</c> the tick's values (dollars, null where the line has null or lacks the key); each of
/// <c>markets</c> is a market of the latest tick with its <c>yes_bid</c>/<c>yes_ask</c> (cents) at every tick of the
/// window (null where that tick did not list it). Feed and stream health come from /health.
/// </summary>
internal sealed class RecentDataRoute : IHealthPortRoute
{
    public const string PathValue = "/recent.json";

    private readonly RecentTicks _ticks;
    private readonly CollectorOptions _options;
    private readonly TimeProvider _time;

    public RecentDataRoute(RecentTicks ticks, CollectorOptions options, TimeProvider time)
    {
        _ticks = ticks;
        _options = options;
        _time = time;
    }

    public string Path => PathValue;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = Serialize(_time.GetUtcNow());
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    internal ReadOnlyMemory<byte> Serialize(DateTimeOffset now)
    {
        var ticks = _ticks.Read(now);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("series", _options.SeriesTicker);
            JsonTimestamps.Write(w, "now", now);
            w.WriteNumber("window_seconds", (long)RecentTicks.Window.TotalSeconds);
            w.WriteStartArray("t");
            foreach (var tick in ticks)
            {
                w.WriteNumberValue(tick.Ts.ToUnixTimeMilliseconds());
            }

            w.WriteEndArray();
            Column(w, "brti", ticks, t => t.Brti);
            Column(w, "official_index", ticks, t => t.OfficialIndex);
            Column(w, "coinbase", ticks, t => t.Coinbase);
            Column(w, "kraken", ticks, t => t.Kraken);
            Column(w, "bitstamp", ticks, t => t.Bitstamp);

            w.WriteStartArray("markets");
            foreach (var market in ticks.Count > 0 ? ticks[^1].Markets : [])
            {
                w.WriteStartObject();
                w.WriteString("ticker", market.Ticker);
                w.WriteString("status", market.Status);
                if (market.SecsLeft is { } left)
                {
                    w.WriteNumber("secs_left", left);
                }
                else
                {
                    w.WriteNull("secs_left");
                }

                Column(w, "yes_bid", ticks, t => Find(t, market.Ticker)?.YesBid);
                Column(w, "yes_ask", ticks, t => Find(t, market.Ticker)?.YesAsk);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static RecentQuote? Find(RecentTick tick, string ticker)
    {
        foreach (var m in tick.Markets)
        {
            if (string.Equals(m.Ticker, ticker, StringComparison.Ordinal))
            {
                return m;
            }
        }

        return null;
    }

    private static void Column(Utf8JsonWriter w, string name, IReadOnlyList<RecentTick> ticks, Func<RecentTick, decimal?> value)
    {
        w.WriteStartArray(name);
        foreach (var tick in ticks)
        {
            if (value(tick) is { } v)
            {
                w.WriteNumberValue(v);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
    }
}
