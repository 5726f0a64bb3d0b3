using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using KxCollector.Records;
using Xunit;

namespace KxCollector.Tests.Records;

/// <summary>
/// Each record type's reader against the golden files: a line read and written again is the same bytes, so the reader
/// took every key (a key it dropped would be missing from the second write, a key it misread would differ).
/// </summary>
public sealed class RecordReadBackTests
{
    public static TheoryData<string> Types => ["tick", "trade", "lifecycle", "settlement", "index", "game", "market", "candle"];

    internal static byte[] ReadAndFormat(string type, byte[] line) => type switch
    {
        TickRecord.Type => TickRecord.Read(line).Format(),
        TradeRecord.Type => TradeRecord.Read(line).Format(),
        LifecycleRecord.Type => LifecycleRecord.Read(line).Format(),
        SettlementRecord.Type => SettlementRecord.Read(line).Format(),
        IndexRecord.Type => IndexRecord.Read(line).Format(),
        GameRecord.Type => GameRecord.Read(line).Format(),
        MarketRecord.Type => MarketRecord.Read(line).Format(),
        CandleRecord.Type => CandleRecord.Read(line).Format(),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static IEnumerable<string> GoldenLines(string type) =>
        File.ReadAllLines(RecordGoldenTests.GoldenPath(type), Encoding.UTF8).Where(l => l.Length > 0);

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_golden_line_reads_back_to_the_same_bytes(string type)
    {
        foreach (var line in GoldenLines(type))
        {
            Encoding.UTF8.GetString(ReadAndFormat(type, Encoding.UTF8.GetBytes(line))).Should().Be(line);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Keys_in_another_order_and_unknown_keys_read_the_same(string type)
    {
        foreach (var line in GoldenLines(type))
        {
            var node = JsonNode.Parse(line)!.AsObject();
            var reversed = new JsonObject { ["added_by_a_newer_version"] = new JsonArray(1, "x") };
            foreach (var (key, value) in node.Reverse().ToList())
            {
                reversed[key] = value?.DeepClone();
            }

            Encoding.UTF8.GetString(ReadAndFormat(type, Encoding.UTF8.GetBytes(reversed.ToJsonString()))).Should().Be(line);
        }
    }

    [Fact]
    public void A_bad_value_is_an_error_that_names_the_record_and_the_key()
    {
        var line = GoldenLines("trade").First().Replace("\"yes_price\":5.6", "\"yes_price\":\"5.6\"", StringComparison.Ordinal);

        var read = () => TradeRecord.Read(Encoding.UTF8.GetBytes(line));

        read.Should().Throw<FormatException>().WithMessage("trade record: \"yes_price\" must be a number, not \"5.6\"");
    }

    [Fact]
    public void A_bad_book_level_in_a_tick_entry_is_an_error_that_names_the_key()
    {
        var line = File.ReadAllLines(RecordGoldenTests.GoldenPath("tick"))[1].Replace("[[12,100],", "[[12],", StringComparison.Ordinal);

        var read = () => TickRecord.Read(Encoding.UTF8.GetBytes(line));

        read.Should().Throw<FormatException>().WithMessage("tick.markets record: \"yes_book\" must be an array of [price, size]*");
    }

    [Fact]
    public void A_line_of_another_type_is_refused()
    {
        var line = GoldenLines("index").First();

        var read = () => TradeRecord.Read(Encoding.UTF8.GetBytes(line));

        read.Should().Throw<FormatException>().WithMessage("expected a trade record, got type \"index\"");
    }
}
