using System.Collections;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using KxCollector.Records;
using KxCollector.Store.Records;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Store;

/// <summary>
/// Every key of every record type lands in the store: for each key in a record's <c>Keys</c> (a tick entry's, a
/// candle OHLC's), taking it off the golden lines, or giving it another value of its kind, changes the rows the store
/// makes of at least one of them, unless
/// the key is listed below as deliberately not stored, with the reason, and then it must change nothing. So a key
/// added to a record without a store mapping fails here, and so does a listed key that starts being stored.
/// </summary>
public sealed class StoreMappingCoversEveryRecordKeyTests
{
    private static readonly Dictionary<string, string> NotStored = new(StringComparer.Ordinal)
    {
        ["market." + MarketRecord.LastPriceKey] = "market_metadata holds no quotes: the ticks carry them",
        ["market." + MarketRecord.VolumeKey] = "market_metadata holds no quotes: the ticks and candles carry them",
        ["market." + MarketRecord.OpenInterestKey] = "market_metadata holds no quotes: the ticks and candles carry them",
        ["market." + RecordJson.Src] = "market_metadata is one row per market, whoever wrote it; the file says backfill",
        ["candle." + RecordJson.Ts] = "a candle's ts is its end, which the row keeps (end_period_ts)",
    };

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string> RecordTypes() =>
    [
        TickRecord.Type, TradeRecord.Type, LifecycleRecord.Type, SettlementRecord.Type, IndexRecord.Type, GameRecord.Type,
        MarketRecord.Type, CandleRecord.Type,
    ];

    [Theory]
    [MemberData(nameof(RecordTypes))]
    public void Every_key_of_the_record_lands_in_a_row_or_is_listed_as_not_stored(string type)
    {
        var lines = File.ReadAllLines(Fixtures.Path("records", type + ".jsonl")).Where(l => l.Length > 0).ToArray();
        var failures = new List<string>();
        foreach (var (where, key, edit) in KeysOf(type))
        {
            var changes = lines.Count(line =>
                Rows(line, type) != Rows(Edited(line, o => edit(o, Remove)), type) || Rows(line, type) != Rows(Edited(line, o => edit(o, Change)), type));
            var name = where + "." + key;
            if (NotStored.ContainsKey(name) && changes > 0)
            {
                failures.Add($"{name} is listed as not stored but changes the rows");
            }
            else if (!NotStored.ContainsKey(name) && changes == 0)
            {
                failures.Add($"{name} changes no row of any golden line: map it to a column, or list it with the reason");
            }
        }

        failures.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(RecordTypes))]
    public void The_golden_lines_are_stored_with_no_unknown_key_and_no_bad_value(string type)
    {
        var parser = new RecordParser();
        foreach (var line in File.ReadAllLines(Fixtures.Path("records", type + ".jsonl")).Where(l => l.Length > 0))
        {
            // game_states.details is a JSON object: a game line whose details Kalshi sent as null gives no row.
            var expected = line.EndsWith("\"details\":null}", StringComparison.Ordinal) ? LineOutcome.Rejected : LineOutcome.Stored;
            parser.Parse(Encoding.UTF8.GetBytes(line), "KXBTC15M", new StoreBatch()).Should().Be(expected, line);
        }

        (parser.UnknownFields, parser.BadValues).Should().Be((0, 0));
    }

    private delegate void Edit(JsonObject record, Action<JsonObject, string> change);

    private static IEnumerable<(string Where, string Key, Edit Edit)> KeysOf(string type)
    {
        var keys = type switch
        {
            TickRecord.Type => TickRecord.Keys,
            TradeRecord.Type => TradeRecord.Keys,
            LifecycleRecord.Type => LifecycleRecord.Keys,
            SettlementRecord.Type => SettlementRecord.Keys,
            IndexRecord.Type => IndexRecord.Keys,
            GameRecord.Type => GameRecord.Keys,
            MarketRecord.Type => MarketRecord.Keys,
            CandleRecord.Type => CandleRecord.Keys,
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        foreach (var key in keys)
        {
            yield return (type, key, (o, change) => change(o, key));
        }

        if (type == TickRecord.Type)
        {
            foreach (var key in TickMarketRecord.Keys)
            {
                yield return ("tick.markets", key, (o, change) => ForEachObject(o[TickRecord.MarketsKey], e => change(e, key)));
            }
        }

        if (type == CandleRecord.Type)
        {
            foreach (var key in CandleRecord.OhlcKeys)
            {
                yield return ("candle.ohlc", key, (o, change) =>
                {
                    foreach (var side in new[] { CandleRecord.YesBidKey, CandleRecord.YesAskKey, CandleRecord.PriceKey })
                    {
                        if (o[side] is JsonObject ohlc)
                        {
                            change(ohlc, key);
                        }
                    }
                });
            }
        }
    }

    private static void ForEachObject(JsonNode? array, Action<JsonObject> act)
    {
        foreach (var item in array as JsonArray ?? [])
        {
            if (item is JsonObject entry)
            {
                act(entry);
            }
        }
    }

    private static void Remove(JsonObject o, string key) => o.Remove(key);

    /// <summary>Another value of the same kind: a number plus one, a time a second later, a string with more, a bool flipped.</summary>
    private static void Change(JsonObject o, string key)
    {
        if (o[key] is not JsonValue value)
        {
            return;
        }

        o[key] = value.GetValueKind() switch
        {
            JsonValueKind.Number => JsonValue.Create(value.GetValue<decimal>() + 1),
            JsonValueKind.True => JsonValue.Create(false),
            JsonValueKind.False => JsonValue.Create(true),
            JsonValueKind.String when DateTimeOffset.TryParse(value.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out var t) =>
                JsonValue.Create(t.AddSeconds(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            JsonValueKind.String => JsonValue.Create(value.GetValue<string>() + "x"),
            _ => value.DeepClone(),
        };
    }

    private static string Edited(string line, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(line)!.AsObject();
        edit(node);
        return node.ToJsonString(Compact);
    }

    /// <summary>Everything the store makes of one line (through the same JSON round trip as the altered line), as text.</summary>
    private static string Rows(string line, string type)
    {
        var json = JsonNode.Parse(line)!.ToJsonString(Compact);
        var parser = new RecordParser();
        var batch = new StoreBatch();
        var outcome = parser.Parse(Encoding.UTF8.GetBytes(json), "KXBTC15M", batch);
        var text = new StringBuilder().Append(outcome).Append('|').Append(batch.NewestRecord?.ToString("O"));
        IEnumerable[] lists =
        [
            batch.IndexTicks, batch.Snapshots, batch.Depth, batch.Trades, batch.Settlements, batch.Lifecycle, batch.Candles,
            batch.IndexPrints, batch.GameStates, batch.GameMilestones, batch.Metadata,
        ];
        foreach (var list in lists)
        {
            foreach (var row in list)
            {
                text.Append('|').Append(type).Append(':').Append(Describe(row));
            }
        }

        return text.ToString();
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Describe)) + "]",
        _ when value.GetType().Namespace == typeof(StoreBatch).Namespace || value.GetType() == typeof(Ohlc) =>
            "{" + string.Join(",", value.GetType().GetProperties().Select(p => p.Name + "=" + Describe(p.GetValue(value)))) + "}",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
