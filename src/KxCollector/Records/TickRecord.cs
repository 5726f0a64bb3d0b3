using System.Buffers;
using System.Text.Json;
using KxCollector.Pricing;

namespace KxCollector.Records;

/// <summary>The official index as a tick carries it: the latest print and its stamp, both null before the first.</summary>
internal readonly record struct TickOfficialIndex(decimal? Value, DateTimeOffset? Ts);

/// <summary>
/// The <c>tick</c> record, one a second: <c>{"type":"tick","ts":…,"brti":…,"coinbase":…,"kraken":…,"bitstamp":…,"markets":[…]}</c>.
/// For a series settling on an official index, <c>official_index</c> and <c>official_index_ts</c> follow brti (or ts);
/// for a series that does not settle on BRTI (sports) the exchange keys are left out. <see cref="Exchange"/> and
/// <see cref="Official"/> are null when their keys are not on the line.
/// </summary>
internal sealed record TickRecord(DateTimeOffset Ts, IndexSample? Exchange, TickOfficialIndex? Official, IReadOnlyList<TickMarketRecord> Markets)
{
    public const string Type = "tick";
    public const string BrtiKey = "brti";
    public const string OfficialIndexKey = "official_index";
    public const string OfficialIndexTsKey = "official_index_ts";
    public const string CoinbaseKey = "coinbase";
    public const string KrakenKey = "kraken";
    public const string BitstampKey = "bitstamp";
    public const string MarketsKey = "markets";

    public static readonly IReadOnlyList<string> Keys =
    [
        RecordJson.Type, RecordJson.Ts, BrtiKey, OfficialIndexKey, OfficialIndexTsKey, CoinbaseKey, KrakenKey, BitstampKey, MarketsKey,
    ];

    /// <summary>Every tick line starts with these bytes (the writer puts "type" first): a scanner needs no parse to skip others.</summary>
    public const string LinePrefixText = "{\"type\":\"tick\",";

    public static readonly byte[] LinePrefix = System.Text.Encoding.UTF8.GetBytes(LinePrefixText);

    /// <summary>Opens the line and writes every key up to the <c>markets</c> array, left open for the entries.</summary>
    public static void WriteHead(Utf8JsonWriter writer, DateTimeOffset ts, in IndexSample? exchange, in TickOfficialIndex? official)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        RecordJson.WriteStart(writer, Type, ts);
        if (exchange is { } sample)
        {
            RecordJson.WriteNumber(writer, BrtiKey, sample.Brti);
            WriteOfficial(writer, official);
            RecordJson.WriteNumber(writer, CoinbaseKey, sample.Coinbase);
            RecordJson.WriteNumber(writer, KrakenKey, sample.Kraken);
            RecordJson.WriteNumber(writer, BitstampKey, sample.Bitstamp);
        }
        else
        {
            WriteOfficial(writer, official);
        }

        writer.WriteStartArray(MarketsKey);
    }

    /// <summary>Closes the <c>markets</c> array and the line.</summary>
    public static void WriteTail(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public byte[] Format()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteHead(writer, Ts, Exchange, Official);
            foreach (var market in Markets)
            {
                market.Write(writer);
            }

            WriteTail(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static TickRecord Read(ReadOnlySpan<byte> line) => Read(RecordReader.Open(line, Type));

    public static TickRecord Read(RecordReader r)
    {
        var markets = new List<TickMarketRecord>();
        if (r.Element(MarketsKey) is { } array)
        {
            if (array.ValueKind != JsonValueKind.Array)
            {
                throw r.Bad(MarketsKey, array, "an array");
            }

            foreach (var entry in array.EnumerateArray())
            {
                markets.Add(TickMarketRecord.Read(RecordReader.OpenEntry(entry, $"{Type}.{MarketsKey}")));
            }
        }

        var exchange = r.Has(BrtiKey) || r.Has(CoinbaseKey) || r.Has(KrakenKey) || r.Has(BitstampKey)
            ? new IndexSample(r.Number(CoinbaseKey), r.Number(KrakenKey), r.Number(BitstampKey), r.Number(BrtiKey))
            : (IndexSample?)null;
        var official = r.Has(OfficialIndexKey) || r.Has(OfficialIndexTsKey)
            ? new TickOfficialIndex(r.Number(OfficialIndexKey), r.Time(OfficialIndexTsKey))
            : (TickOfficialIndex?)null;
        return new TickRecord(r.RequiredTime(RecordJson.Ts), exchange, official, markets);
    }

    private static void WriteOfficial(Utf8JsonWriter writer, in TickOfficialIndex? official)
    {
        if (official is not { } index)
        {
            return;
        }

        RecordJson.WriteNumber(writer, OfficialIndexKey, index.Value);
        RecordJson.WriteTime(writer, OfficialIndexTsKey, index.Ts);
    }
}
