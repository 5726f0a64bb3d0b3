using System.Globalization;
using System.Text.Json;

namespace KxCollector.Tests.Export;

internal enum Kind
{
    Time,
    Number,
    Text,
    Bool,
    Json,
}

/// <summary>A column as the test expects it: its name, its kind and where its value is in the JSONL.</summary>
internal sealed record ExpectedColumn(string Name, Kind Kind, Func<JsonElement, JsonElement?> Get);

/// <summary>
/// The tables the export should write, computed straight from the JSONL with System.Text.Json's DOM — independently
/// of the collector's own parser — as each row's values in column order (JSON elements, null for a JSON null).
/// </summary>
internal static class ExpectedTables
{
    public static ExpectedColumn Key(string name, Kind kind, string? key = null) => new(name, kind, e => Prop(e, key ?? name));

    public static readonly ExpectedColumn[] Ticks =
        [Key("ts", Kind.Time), Key("brti", Kind.Number), Key("coinbase", Kind.Number), Key("kraken", Kind.Number), Key("bitstamp", Kind.Number),
         Key("official_index", Kind.Number), Key("official_index_ts", Kind.Time)];

    public static readonly ExpectedColumn[] Quotes =
        [Key("ts", Kind.Time), Key("ticker", Kind.Text), Key("status", Kind.Text), Key("yes_bid", Kind.Number), Key("yes_ask", Kind.Number),
         Key("no_bid", Kind.Number), Key("no_ask", Kind.Number), Key("last_price", Kind.Number), Key("volume", Kind.Number),
         Key("open_interest", Kind.Number), Key("strike", Kind.Number), Key("secs_left", Kind.Number), Key("age_ms", Kind.Number), Key("src", Kind.Text)];

    public static readonly ExpectedColumn[] Books =
        [Key("ts", Kind.Time), Key("ticker", Kind.Text), Key("side", Kind.Text), Key("level", Kind.Number), Key("price", Kind.Number), Key("size", Kind.Number)];

    public static readonly ExpectedColumn[] Trades =
        [Key("ts", Kind.Time), Key("ticker", Kind.Text), Key("trade_id", Kind.Text), Key("yes_price", Kind.Number), Key("no_price", Kind.Number),
         Key("count", Kind.Number), Key("taker_side", Kind.Text), Key("taker_outcome_side", Kind.Text), Key("taker_book_side", Kind.Text),
         Key("is_block_trade", Kind.Bool), Key("src", Kind.Text)];

    public static readonly ExpectedColumn[] Settlements =
        [Key("ts", Kind.Time), Key("ticker", Kind.Text), Key("close_time", Kind.Time), Key("result", Kind.Text), Key("expiration_value", Kind.Number),
         Key("strike", Kind.Number), Key("brti_avg60", Kind.Number), Key("brti_samples", Kind.Number), Key("official_avg60", Kind.Number),
         Key("official_samples", Kind.Number), Key("kalshi_avg60", Kind.Number), Key("kalshi_avg60_window_size", Kind.Number),
         Key("kalshi_avg60_window_start", Kind.Time), Key("kalshi_avg60_window_end", Kind.Time), Key("src", Kind.Text)];

    public static readonly ExpectedColumn[] Lifecycle =
        [Key("ts", Kind.Time), Key("ticker", Kind.Text), Key("event", Kind.Text), Key("result", Kind.Text), Key("settlement_value", Kind.Number),
         Key("yes_payout", Kind.Number), Key("open_time", Kind.Time), Key("close_time", Kind.Time), Key("determined_time", Kind.Time),
         Key("settled_time", Kind.Time), Key("src", Kind.Text), new("details", Kind.Json, e => e)];

    public static readonly ExpectedColumn[] Index =
        [Key("ts", Kind.Time), Key("index_id", Kind.Text), Key("value", Kind.Number), Key("received_at", Kind.Time)];

    public static readonly ExpectedColumn[] Candles =
        [Key("ts", Kind.Time), Key("ticker", Kind.Text), new("interval_minutes", Kind.Number, e => JsonSerializer.SerializeToElement(Prop(e, "interval")!.Value.GetString() == "1m" ? 1 : -1)),
         .. Ohlc("yes_bid", false), .. Ohlc("yes_ask", false), .. Ohlc("price", true),
         Key("volume", Kind.Number), Key("open_interest", Kind.Number), Key("src", Kind.Text)];

    public static readonly ExpectedColumn[] Games =
        [Key("ts", Kind.Time), Key("milestone_id", Kind.Text), Key("milestone_type", Kind.Text), Key("event_tickers", Kind.Json), Key("details", Kind.Json)];

    public static JsonElement? Prop(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>Every table's expected rows: recorded lines first, then the backfill's; trades one per trade_id, by time.</summary>
    public static Dictionary<string, (ExpectedColumn[] Columns, List<JsonElement?[]> Rows)> From(IEnumerable<string> recorded, IEnumerable<string> backfill)
    {
        var tables = new Dictionary<string, (ExpectedColumn[] Columns, List<JsonElement?[]> Rows)>
        {
            ["ticks"] = (Ticks, []),
            ["quotes"] = (Quotes, []),
            ["books"] = (Books, []),
            ["trades"] = (Trades, []),
            ["settlements"] = (Settlements, []),
            ["lifecycle"] = (Lifecycle, []),
            ["index"] = (Index, []),
            ["candles"] = (Candles, []),
            ["games"] = (Games, []),
        };
        var trades = new List<JsonElement>();
        foreach (var line in recorded.Concat(backfill))
        {
            var e = JsonDocument.Parse(line).RootElement;
            switch (e.GetProperty("type").GetString())
            {
                case "tick":
                    tables["ticks"].Rows.Add(Row(Ticks, e));
                    foreach (var m in e.GetProperty("markets").EnumerateArray())
                    {
                        var quote = Merge(e, m);
                        tables["quotes"].Rows.Add(Row(Quotes, quote));
                        foreach (var side in new[] { "yes", "no" })
                        {
                            if (Prop(m, side + "_book") is { } book)
                            {
                                var level = 0;
                                foreach (var l in book.EnumerateArray())
                                {
                                    var row = JsonSerializer.SerializeToElement(new Dictionary<string, object>
                                    {
                                        ["ts"] = e.GetProperty("ts"), ["ticker"] = m.GetProperty("ticker"), ["side"] = side, ["level"] = ++level, ["price"] = l[0], ["size"] = l[1],
                                    });
                                    tables["books"].Rows.Add(Row(Books, row));
                                }
                            }
                        }
                    }

                    break;
                case "trade":
                    trades.Add(e);
                    break;
                case "settlement":
                    tables["settlements"].Rows.Add(Row(Settlements, e));
                    break;
                case "lifecycle":
                    tables["lifecycle"].Rows.Add(Row(Lifecycle, e));
                    break;
                case "index":
                    tables["index"].Rows.Add(Row(Index, e));
                    break;
                case "candle":
                    tables["candles"].Rows.Add(Row(Candles, e));
                    break;
                case "game":
                    tables["games"].Rows.Add(Row(Games, e));
                    break;
            }
        }

        foreach (var t in trades.DistinctBy(t => t.GetProperty("trade_id").GetString()).OrderBy(t => t.GetProperty("ts").GetDateTimeOffset()))
        {
            tables["trades"].Rows.Add(Row(Trades, t));
        }

        return tables;
    }

    /// <summary>The expected value as DuckDB gives it back from Parquet (DateTime UTC, decimal, bool, string) or null.</summary>
    public static object? Typed(ExpectedColumn column, JsonElement? value) => value is not { } v ? null : column.Kind switch
    {
        Kind.Time => v.GetDateTimeOffset().UtcDateTime,
        Kind.Number => v.GetDecimal(),
        Kind.Bool => v.GetBoolean(),
        Kind.Text => v.GetString(),
        _ => v.GetRawText(),
    };

    /// <summary>The expected CSV field text: numbers and times exactly as the JSONL has them.</summary>
    public static string? Text(ExpectedColumn column, JsonElement? value) => value is not { } v ? null : column.Kind switch
    {
        Kind.Time => v.GetString(),
        Kind.Number => v.GetRawText(),
        Kind.Bool => v.GetBoolean() ? "true" : "false",
        Kind.Text => v.GetString(),
        _ => v.GetRawText(),
    };

    private static JsonElement?[] Row(ExpectedColumn[] columns, JsonElement e) => columns.Select(c => c.Get(e)).ToArray();

    private static JsonElement Merge(JsonElement tick, JsonElement market)
    {
        var values = market.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        values["ts"] = tick.GetProperty("ts");
        return JsonSerializer.SerializeToElement(values);
    }

    private static IEnumerable<ExpectedColumn> Ohlc(string prefix, bool withMean)
    {
        string[] parts = withMean ? ["open", "high", "low", "close", "mean", "previous"] : ["open", "high", "low", "close"];
        return parts.Select(p => new ExpectedColumn($"{prefix}_{p}", Kind.Number, e => Prop(e, prefix) is { } o ? Prop(o, p) : null));
    }

    public static string Describe(object? value) => value switch
    {
        null => "null",
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
