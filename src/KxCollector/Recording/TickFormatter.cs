using System.Buffers;
using System.Text.Json;
using KxCollector.Pricing;

namespace KxCollector.Recording;

/// <summary>
/// Serialises a tick line with keys in the documented order:
/// <c>{"type":"tick","ts":…,"brti":…,"coinbase":…,"kraken":…,"bitstamp":…,"markets":[…]}</c>; for a series that does
/// not settle on BRTI (sports) the exchange keys are left out: <c>{"type":"tick","ts":…,"markets":[…]}</c>.
/// Reuses one buffer and writer, so it is not thread-safe: the tick loop owns it.
/// </summary>
internal sealed class TickFormatter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    private readonly bool _exchangePrices;
    private readonly bool _officialIndex;

    /// <param name="officialIndex">True for series settling on an official index: official_index and official_index_ts follow brti (or ts).</param>
    public TickFormatter(bool exchangePrices = true, bool officialIndex = false)
    {
        _exchangePrices = exchangePrices;
        _officialIndex = officialIndex;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = false, Indented = false });
    }

    /// <summary>Returns the UTF-8 line without its newline; valid until the next call.</summary>
    public ReadOnlySpan<byte> Format(DateTimeOffset timestamp, IndexSample sample, ITickMarketsWriter markets, IndexPrint? official = null)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);

        _writer.WriteStartObject();
        _writer.WriteString("type", "tick");
        JsonTimestamps.Write(_writer, "ts", timestamp);
        if (_exchangePrices)
        {
            WriteNullableNumber(_writer, "brti", sample.Brti);
            WriteOfficial(official);
            WriteNullableNumber(_writer, "coinbase", sample.Coinbase);
            WriteNullableNumber(_writer, "kraken", sample.Kraken);
            WriteNullableNumber(_writer, "bitstamp", sample.Bitstamp);
        }

        else
        {
            WriteOfficial(official);
        }

        _writer.WriteStartArray("markets");
        markets.WriteMarkets(_writer, timestamp);
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();

        return _buffer.WrittenSpan;
    }

    private void WriteOfficial(IndexPrint? official)
    {
        if (!_officialIndex)
        {
            return;
        }

        WriteNullableNumber(_writer, "official_index", official?.Value);
        if (official is not null)
        {
            JsonTimestamps.Write(_writer, "official_index_ts", official.Time);
        }
        else
        {
            _writer.WriteNull("official_index_ts");
        }
    }

    public static void WriteNullableNumber(Utf8JsonWriter writer, string name, decimal? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
