using System.Text;
using KxCollector.Recording;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Recording;

public sealed class AppendOnlyFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ListLogger<AppendOnlyFile> _logger = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Open_on_a_file_with_a_torn_last_line_cuts_the_fragment_and_keeps_it_in_a_torn_file()
    {
        var path = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        File.WriteAllText(path, "{\"a\":1}\n{\"b\":2}\n{\"c\":");

        using (var file = AppendOnlyFile.Open(path, _logger))
        {
            file.Length.Should().Be("{\"a\":1}\n{\"b\":2}\n".Length);
            file.Append("{\"d\":4}\n"u8);
        }

        File.ReadAllText(path).Should().Be("{\"a\":1}\n{\"b\":2}\n{\"d\":4}\n");
        File.ReadAllText(path + AppendOnlyFile.TornSuffix).Should().Be("{\"c\":\n");
        _logger.Entries.Should().ContainSingle(e => e.EventId == 301);
    }

    [Fact]
    public void Open_on_a_file_that_is_only_a_fragment_empties_it()
    {
        var path = _dir.Combine("only-fragment.jsonl");
        File.WriteAllText(path, "{\"type\":\"ti");

        using (var file = AppendOnlyFile.Open(path, _logger))
        {
            file.Length.Should().Be(0);
        }

        File.ReadAllBytes(path).Should().BeEmpty();
        File.ReadAllText(path + AppendOnlyFile.TornSuffix).Should().Be("{\"type\":\"ti\n");
    }

    [Fact]
    public void Open_on_a_whole_file_changes_nothing_and_appends_after_it()
    {
        var path = _dir.Combine("whole.jsonl");
        File.WriteAllText(path, "{\"a\":1}\n");

        using (var file = AppendOnlyFile.Open(path, _logger))
        {
            file.Append("{\"b\":2}\n"u8);
        }

        File.ReadAllText(path).Should().Be("{\"a\":1}\n{\"b\":2}\n");
        File.Exists(path + AppendOnlyFile.TornSuffix).Should().BeFalse();
        _logger.Entries.Should().BeEmpty();
    }

    [Fact]
    public void Open_finds_the_last_newline_beyond_the_first_read_chunk()
    {
        var path = _dir.Combine("long-fragment.jsonl");
        var fragment = new string('x', 200_000);
        File.WriteAllText(path, "{\"a\":1}\n" + fragment);

        using (AppendOnlyFile.Open(path, _logger))
        {
        }

        File.ReadAllText(path).Should().Be("{\"a\":1}\n");
    }

    [Fact]
    public void Append_that_fails_part_way_cuts_the_partial_line_back_out()
    {
        var stream = new FailingStream(acceptBytesBeforeFailure: 5);
        stream.Write("{\"a\":1}\n"u8);
        var file = new AppendOnlyFile("test", stream, stream.Length);
        stream.Armed = true;

        var act = () => file.Append("{\"b\":2}\n"u8);

        act.Should().Throw<IOException>();
        Encoding.UTF8.GetString(stream.ToArray()).Should().Be("{\"a\":1}\n");
        file.Length.Should().Be(8);

        stream.Armed = false;
        file.Append("{\"c\":3}\n"u8);
        Encoding.UTF8.GetString(stream.ToArray()).Should().Be("{\"a\":1}\n{\"c\":3}\n");
    }

    /// <summary>Accepts a few bytes of a write and then fails, like write(2) on a disk that fills up mid-line.</summary>
    private sealed class FailingStream(int acceptBytesBeforeFailure) : MemoryStream
    {
        public bool Armed { get; set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (!Armed)
            {
                base.Write(buffer);
                return;
            }

            base.Write(buffer[..Math.Min(acceptBytesBeforeFailure, buffer.Length)]);
            throw new IOException("No space left on device");
        }
    }
}
