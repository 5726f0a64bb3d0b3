using System.Buffers;
using System.Text.Json;
using KxCollector.Records;

namespace KxCollector.Tests.Records;

/// <summary>
/// The tick path writes up to a thousand market entries a second: the shared nullable-key writers (RecordJson) must not
/// allocate per key, null or not. Counted in bytes on this thread, not timed.
/// </summary>
public sealed class RecordWriterAllocationTests
{
    private static readonly JsonEncodedText Ticker = JsonEncodedText.Encode("KXBTC15M-26MAR141215-15");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("active");

    [Fact]
    public void Tick_market_entries_and_tick_heads_are_written_without_allocating()
    {
        var buffer = new ArrayBufferWriter<byte>(4 << 20);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        WriteEntries(writer, 10); // first calls: statics, delegate caches, JIT

        var before = GC.GetAllocatedBytesForCurrentThread();
        WriteEntries(writer, 1000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        writer.Flush();
        buffer.WrittenCount.Should().BeGreaterThan(100_000);
    }

    [Fact]
    public void A_record_line_allocates_its_own_bytes_and_nothing_more()
    {
        var trade = new TradeRecord(
            new DateTimeOffset(2026, 12, 4, 1, 56, 37, 666, TimeSpan.Zero), "KXBTC15M-26DEC032100-00",
            "fake-KXBTC15M-26DEC032100-00-3783", 11m, 89m, 5m, "no", "no", "bid", false);
        var line = trade.Format();
        for (var i = 0; i < 10; i++)
        {
            trade.Format(); // first calls: the thread's writer, JIT
        }

        const int Rounds = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            trade.Format();
        }

        var perLine = (GC.GetAllocatedBytesForCurrentThread() - before) / Rounds;

        line.Length.Should().BeGreaterThan(256, "a line longer than a fresh writer's first 256 bytes, which is what made it cost 4 KB more");
        perLine.Should().BeLessThanOrEqualTo(line.Length + 32, "the line's array (its bytes and a 24-byte header, rounded up to 8) and no buffer or writer");
    }

    private static void WriteEntries(Utf8JsonWriter writer, int count)
    {
        var full = new TickQuote(12.5m, 13m, 87m, 87.5m, 13m, 1234m, 567m);
        var empty = new TickQuote(null, null, null, null, null, null, null);
        var at = new DateTimeOffset(2026, 3, 14, 12, 14, 59, 1, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            TickRecord.WriteHead(writer, at, null, null);
            TickMarketRecord.WriteStart(writer, Ticker, Status, i % 2 == 0 ? full : empty, i % 3 == 0 ? null : 65000m, i % 2 == 0 ? null : 42, 17, i % 2 == 0);
            TickMarketRecord.WriteNoBooks(writer);
            writer.WriteEndObject();
            writer.WriteEndArray();
            RecordJson.WriteTime(writer, "t", i % 2 == 0 ? null : at);
            RecordJson.WriteString(writer, "s", i % 2 == 0 ? null : "x");
            RecordJson.WriteBoolean(writer, "b", i % 2 == 0 ? null : true);
            RecordJson.WriteNumber(writer, "n", i % 2 == 0 ? null : 5L);
            writer.WriteEndObject();
        }
    }
}
