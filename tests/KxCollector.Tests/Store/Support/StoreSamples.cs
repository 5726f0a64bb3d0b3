using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KxCollector.Tests.Store.Support;

/// <summary>
/// Recorded-looking JSONL in the documented formats: ticks with two KXBTC15M markets (sub-penny prices, nulls, books
/// on one market, an unknown key), trades, a lifecycle event, a settlement, and a record of a type the store does
/// not know.
/// </summary>
public static class StoreSamples
{
    public static readonly DateTime Start = new(2026, 11, 21, 17, 0, 0, DateTimeKind.Utc);

    public const string MarketA = "KXBTC15M-26NOV211715-15";
    public const string MarketB = "KXBTC15M-26NOV211730-30";

    public static string Ts(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The tick of second <paramref name="i"/> after <see cref="Start"/> (at .001, like the recorder's).</summary>
    public static string Tick(int i, bool withExchanges = true)
    {
        var ts = Start.AddSeconds(i).AddMilliseconds(1);
        return Json(w =>
        {
            w.WriteString("type", "tick");
            w.WriteString("ts", Ts(ts));
            if (withExchanges)
            {
                Number(w, "brti", i % 50 == 7 ? null : 70241.33m + i);
                Number(w, "coinbase", 70241.155m + i);
                Number(w, "kraken", i % 7 == 0 ? null : 70244.25m + i);
                Number(w, "bitstamp", 70241.5m + i);
            }

            w.WriteStartArray("markets");
            WriteMarket(w, MarketA, i, books: true);
            WriteMarket(w, MarketB, i + 3, books: false);
            w.WriteEndArray();
        });
    }

    public static string Trade(int i, string ticker = MarketA) => Json(w =>
    {
        w.WriteString("type", "trade");
        w.WriteString("ts", Ts(Start.AddSeconds(i).AddMilliseconds(250)));
        w.WriteString("ticker", ticker);
        w.WriteString("trade_id", $"trade-{i:D5}");
        w.WriteNumber("yes_price", 5.6m);
        w.WriteNumber("no_price", 94.4m);
        w.WriteNumber("count", 12.5m);
        w.WriteString("taker_side", i % 2 == 0 ? "yes" : "no");
    });

    public static string Lifecycle(int i, string ticker, string lifecycleEvent) => Json(w =>
    {
        w.WriteString("type", "lifecycle");
        w.WriteString("ts", Ts(Start.AddSeconds(i).AddMilliseconds(500)));
        w.WriteString("ticker", ticker);
        w.WriteString("event", lifecycleEvent);
        w.WriteString("close_ts", "2026-11-21T17:15:00Z");
    });

    public static string Settlement(int i, string ticker = MarketA) => Json(w =>
    {
        w.WriteString("type", "settlement");
        w.WriteString("ts", Ts(Start.AddSeconds(i).AddMilliseconds(700)));
        w.WriteString("ticker", ticker);
        w.WriteString("close_time", "2026-11-21T17:15:00.000Z");
        w.WriteString("result", "yes");
        w.WriteNumber("expiration_value", 65776.62m);
        w.WriteNumber("strike", 65744.55m);
        w.WriteNumber("brti_avg60", 65771.20m);
        w.WriteNumber("brti_samples", 60);
    });

    public static string UnknownRecord(int i) => Json(w =>
    {
        w.WriteString("type", "weather");
        w.WriteString("ts", Ts(Start.AddSeconds(i)));
        w.WriteNumber("celsius", 11.5);
    });

    /// <summary>A day file's lines: a tick a second, and now and then the other record kinds.</summary>
    public static List<string> Lines(int seconds, int firstSecond = 0)
    {
        var lines = new List<string>();
        for (var i = firstSecond; i < firstSecond + seconds; i++)
        {
            lines.Add(Tick(i));
            if (i % 10 == 4)
            {
                lines.Add(Trade(i));
            }

            if (i == firstSecond + 5)
            {
                lines.Add(Lifecycle(i, MarketB, "activated"));
                lines.Add(UnknownRecord(i));
            }

            if (i == firstSecond + 20)
            {
                lines.Add(Settlement(i));
            }
        }

        return lines;
    }

    public static void Write(string path, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));
    }

    public static void Append(string path, IEnumerable<string> lines) =>
        File.AppendAllText(path, string.Concat(lines.Select(l => l + "\n")));

    private static void WriteMarket(Utf8JsonWriter w, string ticker, int i, bool books)
    {
        // Sub-penny prices (Kalshi's "0.0560" dollars is 5.6 cents) and a missing ask now and then.
        var bid = 5.6m + ((i % 10) / 10m) + (i % 3 == 0 ? 0.05m : 0m);
        decimal? ask = i % 13 == 0 ? null : bid + 0.1m;
        w.WriteStartObject();
        w.WriteString("ticker", ticker);
        w.WriteString("status", "active");
        Number(w, "yes_bid", bid);
        Number(w, "yes_ask", ask);
        Number(w, "no_bid", ask is null ? null : 100m - ask);
        Number(w, "no_ask", 100m - bid);
        Number(w, "last_price", bid);
        Number(w, "volume", 1552141.8m + i);
        Number(w, "open_interest", 480551.08m);
        Number(w, "strike", i % 5 == 0 ? null : 65776.62m);
        w.WriteNumber("secs_left", Math.Max(0, 900 - i));
        w.WriteNumber("age_ms", 830);
        w.WriteString("src", i % 4 == 0 ? "rest" : "ws");
        if (books)
        {
            w.WriteStartArray("yes_book");
            w.WriteStartArray();
            w.WriteNumberValue(bid);
            w.WriteNumberValue(4000);
            w.WriteEndArray();
            w.WriteStartArray();
            w.WriteNumberValue(bid - 0.1m);
            w.WriteNumberValue(120.5m);
            w.WriteEndArray();
            w.WriteEndArray();
            w.WriteStartArray("no_book");
            w.WriteEndArray();
        }

        if (i % 6 == 1)
        {
            // A key a newer recorder might add: ignored by the store, never a reason to drop the tick.
            w.WriteStartObject("greeks");
            w.WriteNumber("delta", 0.12);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
