using System.Text;
using System.Text.Json;
using KxCollector.Records;

namespace KxCollector.Tests.Records;

/// <summary>
/// RecordJson.Format reuses one buffer and JSON writer per thread. A line must never carry anything of the line before
/// it, of a line whose writer threw halfway, or of a line formatted while it was being written.
/// </summary>
public sealed class RecordJsonFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Lines_formatted_one_after_another_are_each_whole()
    {
        var first = Text(new TradeRecord(At, "KXA-1", "t-1", 11m, 89m, 5m, "no", "no", "bid", false).Format());
        var second = Text(new IndexRecord(At, "BRTI", 97000.25m, At).Format());

        first.Should().StartWith("{\"type\":\"trade\"").And.EndWith("\"is_block_trade\":false}");
        second.Should().StartWith("{\"type\":\"index\"").And.NotContain("trade");
        JsonDocument.Parse(second).RootElement.GetProperty("value").GetDecimal().Should().Be(97000.25m);
    }

    [Fact]
    public void A_line_whose_writer_threw_leaves_nothing_for_the_next()
    {
        var act = () => RecordJson.Format(0, static (Utf8JsonWriter w, in int _) =>
        {
            w.WriteString("half", "written");
            w.WriteStartArray("open");
            throw new InvalidOperationException("the record's writer failed");
        });

        act.Should().Throw<InvalidOperationException>();
        var next = Text(RecordJson.Format(7, static (Utf8JsonWriter w, in int n) => w.WriteNumber("n", n)));

        next.Should().Be("{\"n\":7}");
    }

    [Fact]
    public void A_line_formatted_inside_another_lines_writer_gets_its_own()
    {
        byte[]? inner = null;
        var outer = RecordJson.Format(0, (Utf8JsonWriter w, in int _) =>
        {
            w.WriteString("outer", "a");
            inner = RecordJson.Format(1, static (Utf8JsonWriter iw, in int n) => iw.WriteNumber("inner", n));
            w.WriteString("after", "b");
        });

        Text(outer).Should().Be("{\"outer\":\"a\",\"after\":\"b\"}");
        Text(inner!).Should().Be("{\"inner\":1}");
    }

    [Fact]
    public void A_line_longer_than_the_kept_buffer_is_whole_and_the_next_is_unaffected()
    {
        var longText = new string('x', 40_000);
        var big = Text(RecordJson.Format(longText, static (Utf8JsonWriter w, in string s) => w.WriteString("details", s)));
        var small = Text(RecordJson.Format(3, static (Utf8JsonWriter w, in int n) => w.WriteNumber("n", n)));

        big.Should().Be("{\"details\":\"" + longText + "\"}");
        small.Should().Be("{\"n\":3}");
    }

    [Fact]
    public void Threads_formatting_at_once_never_mix_their_lines()
    {
        var lines = new string[8][];
        Parallel.For(0, lines.Length, thread =>
        {
            lines[thread] = new string[2_000];
            for (var i = 0; i < lines[thread].Length; i++)
            {
                var id = $"{thread}-{i}";
                lines[thread][i] = Text(new TradeRecord(At, "KXA-" + id, "t-" + id, 11m, 89m, i, "yes", null, "ask", null).Format());
            }
        });

        for (var thread = 0; thread < lines.Length; thread++)
        {
            for (var i = 0; i < lines[thread].Length; i++)
            {
                using var doc = JsonDocument.Parse(lines[thread][i]);
                doc.RootElement.GetProperty("trade_id").GetString().Should().Be($"t-{thread}-{i}");
                doc.RootElement.GetProperty("ticker").GetString().Should().Be($"KXA-{thread}-{i}");
            }
        }
    }

    private static string Text(byte[] line) => Encoding.UTF8.GetString(line);
}
