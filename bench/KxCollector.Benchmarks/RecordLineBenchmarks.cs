using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using KxCollector.Records;

namespace KxCollector.Benchmarks;

/// <summary>
/// One trade line (~330 bytes), as the stream records each trade: <c>RecordJson.Format</c> with the thread's reused
/// writer, against the way it formatted lines before (a fresh 256-byte buffer and JSON writer per line, kept here as
/// the baseline).
/// </summary>
[MemoryDiagnoser]
public class RecordLineBenchmarks
{
    private static readonly TradeRecord Trade = new(
        new DateTimeOffset(2026, 12, 4, 1, 56, 37, 666, TimeSpan.Zero), "KXBTC15M-26DEC032100-00",
        "fake-KXBTC15M-26DEC032100-00-3783", 11m, 89m, 5m, "no", "no", "bid", false);

    [Benchmark(Baseline = true)]
    public byte[] FreshWriterPerLine()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Trade.Write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    [Benchmark]
    public byte[] ThreadsWriter() => Trade.Format();
}
