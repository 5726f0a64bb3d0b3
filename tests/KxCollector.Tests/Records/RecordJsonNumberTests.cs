using System.Buffers;
using System.Text;
using System.Text.Json;
using KxCollector.Records;

namespace KxCollector.Tests.Records;

/// <summary>
/// RecordJson.WriteNumberValue writes whole decimals through the long formatter: the text must be exactly what
/// Utf8JsonWriter writes for the decimal, for every kind of value, or golden files and readers would see new spellings.
/// </summary>
public sealed class RecordJsonNumberTests
{
    private static readonly decimal[] Cases =
    [
        1m, 42m, 1234m, 99m, 100m, 5.6m, 0.1m, 19853.69m, 49.00m, 1234.5000m, 0m, new decimal(0, 0, 0, true, 0), 0.000m,
        -5m, -0.5m, long.MaxValue, (decimal)long.MaxValue + 1m, decimal.MaxValue, decimal.MinValue, 1e-28m,
        new decimal(10, 0, 0, false, 1), 65000m, 98811.035m,
    ];

    // By index: xunit would fold 0 and -0 (both shown as "0") into one case and run only one of them.
    public static TheoryData<int> Values() => [.. Enumerable.Range(0, Cases.Length)];

    [Theory]
    [MemberData(nameof(Values))]
    public void A_number_is_written_exactly_as_the_decimal_writer_writes_it(int index)
    {
        var value = Cases[index];
        Write(w => RecordJson.WriteNumberValue(w, value)).Should().Be(Write(w => w.WriteNumberValue(value)));
    }

    [Fact]
    public void The_nullable_key_writers_use_the_same_spelling()
    {
        Write(w =>
        {
            w.WriteStartObject();
            RecordJson.WriteNumber(w, "a", 49.00m);
            RecordJson.WriteNumber(w, JsonEncodedText.Encode("b"), 42m);
            RecordJson.WriteNumber(w, "c", (decimal?)null);
            w.WriteEndObject();
        }).Should().Be("""{"a":49.00,"b":42,"c":null}""");
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
