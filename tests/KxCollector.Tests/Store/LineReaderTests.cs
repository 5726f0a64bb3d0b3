using System.Text;
using KxCollector.Store.Ingest;

namespace KxCollector.Tests.Store;

public sealed class LineReaderTests
{
    [Fact]
    public void Only_text_ending_in_a_newline_is_a_line()
    {
        var (lines, reader) = ReadAll("one\ntwo\nthree-in-progr", bufferSize: 4);

        lines.Should().Equal(("one", 4L), ("two", 8L));
        reader.Offset.Should().Be(8);
        reader.AtEnd.Should().BeTrue();
        reader.TrailingBytes.Should().Be("three-in-progr".Length);
    }

    [Fact]
    public void A_stopped_read_resumes_at_the_next_line_with_offsets_counted_from_the_start_offset()
    {
        var reader = new LineReader(new MemoryStream(Encoding.UTF8.GetBytes("a\nbb\nccc\n")), startOffset: 100, bufferSize: 2);
        var seen = new List<(string, long)>();

        reader.Read((line, end) =>
        {
            seen.Add((Encoding.UTF8.GetString(line), end));
            return false;
        });
        reader.Read((line, end) =>
        {
            seen.Add((Encoding.UTF8.GetString(line), end));
            return true;
        });

        seen.Should().Equal(("a", 102L), ("bb", 105L), ("ccc", 109L));
        reader.LinesRead.Should().Be(3);
        reader.AtEnd.Should().BeTrue();
        reader.TrailingBytes.Should().Be(0);
    }

    [Fact]
    public void A_line_longer_than_the_buffer_is_read_whole()
    {
        var longLine = new string('x', 10_000);

        var (lines, _) = ReadAll(longLine + "\nshort\n", bufferSize: 16);

        lines.Select(l => l.Line).Should().Equal(longLine, "short");
    }

    [Fact]
    public void Empty_lines_are_lines()
    {
        var (lines, _) = ReadAll("\n\nx\n", bufferSize: 64);

        lines.Select(l => l.Line).Should().Equal(string.Empty, string.Empty, "x");
    }

    private static (List<(string Line, long End)> Lines, LineReader Reader) ReadAll(string text, int bufferSize)
    {
        var reader = new LineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), 0, bufferSize);
        var lines = new List<(string, long)>();
        reader.Read((line, end) =>
        {
            lines.Add((Encoding.UTF8.GetString(line), end));
            return true;
        });
        return (lines, reader);
    }
}
