using System.Buffers;
using System.Text.Json;
using KxCollector.Pricing;
using KxCollector.Records;

namespace KxCollector.Recording;

/// <summary>
/// Formats the tick loop's <see cref="TickRecord"/> lines for one series (with or without exchange prices and the
/// official index). Reuses one buffer and writer, so it is not thread-safe: the tick loop owns it.
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

        TickRecord.WriteHead(
            _writer,
            timestamp,
            _exchangePrices ? sample : null,
            _officialIndex ? new TickOfficialIndex(official?.Value, official?.Time) : null);
        markets.WriteMarkets(_writer, timestamp);
        TickRecord.WriteTail(_writer);
        _writer.Flush();

        return _buffer.WrittenSpan;
    }
}
