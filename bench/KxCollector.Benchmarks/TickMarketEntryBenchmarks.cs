using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using KxCollector.Records;

namespace KxCollector.Benchmarks;

/// <summary>
/// The tick's market entries without their books, as the tick path writes them (up to a thousand a second): half with
/// every quote key, half with nulls, so both branches of the shared nullable writers are timed.
/// </summary>
[MemoryDiagnoser]
public class TickMarketEntryBenchmarks
{
    private const int Entries = 1000;
    private static readonly JsonEncodedText Ticker = JsonEncodedText.Encode("KXBTC15M-26MAR141215-15");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("active");
    private static readonly TickQuote Full = new(12.5m, 13m, 87m, 87.5m, 13m, 1234m, 567m);
    private static readonly TickQuote Empty = new(null, null, null, null, null, null, null);
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private Utf8JsonWriter _writer = null!;

    [GlobalSetup]
    public void Setup() => _writer = new Utf8JsonWriter(_buffer);

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    [Benchmark(OperationsPerInvoke = Entries)]
    public int WriteEntry()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartArray();
        for (var i = 0; i < Entries; i++)
        {
            var full = (i & 1) == 0;
            TickMarketRecord.WriteStart(_writer, Ticker, Status, full ? Full : Empty, full ? 65000m : null, full ? 42 : null, 17, full);
            TickMarketRecord.WriteNoBooks(_writer);
            _writer.WriteEndObject();
        }

        _writer.WriteEndArray();
        _writer.Flush();
        return _buffer.WrittenCount;
    }
}
