using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using KxCollector.Kalshi.Index;
using KxCollector.Recording;
using KxCollector.Tests.Support;
using KxCollector.Pricing;

namespace KxCollector.Tests.Kalshi.Index;

/// <summary>Index lines against real daily files: their exact shape, once per print across a reconnect and a restart.</summary>
public sealed class IndexRecorderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 23, 59, 58, 300, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Now);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_print_is_one_line_with_CF_s_second_the_value_and_Kalshi_s_received_at()
    {
        var line = IndexRecorder.Format(new IndexPrint("BRTI", 1784776481000, 65790.40m, 1784776481187), Now);
        System.Text.Encoding.UTF8.GetString(line).Should().Be(
            """{"type":"index","ts":"2026-07-23T03:14:41.000Z","index_id":"BRTI","value":65790.40,"received_at":"2026-07-23T03:14:41.187Z"}""");
    }

    [Fact]
    public void A_repeated_print_is_written_once_across_a_reconnect_and_a_restart()
    {
        using (var writer = Writer())
        {
            var (recorder, board) = Recorder(writer);
            recorder.Record(Frame(58), Now).Should().BeTrue();
            recorder.Record(Frame(58), Now).Should().BeFalse("Kalshi repeating the print after a reconnect");
            recorder.Record(Frame(59), Now).Should().BeTrue();
            recorder.Repeats.Should().Be(1);
            board.Latest(0)!.TimeMs.Should().Be(Second(59) * 1000);
        }

        // A new process over the same folder: the last print written is read back from the file.
        using (var writer = Writer())
        {
            var (recorder, _) = Recorder(writer);
            recorder.Record(Frame(59), Now).Should().BeFalse("written by the previous process");
            recorder.Record(Frame(60), Now).Should().BeTrue();
        }

        var lines = Directory.GetFiles(_dir.Path, "*.jsonl").Order(StringComparer.Ordinal).SelectMany(File.ReadAllLines).ToList();
        lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("ts").GetString())
            .Should().Equal("2026-11-21T23:59:58.000Z", "2026-11-21T23:59:59.000Z", "2026-11-22T00:00:00.000Z");
        File.ReadAllLines(Path.Combine(_dir.Path, "kxbtc15m-2026-11-21.jsonl")).Should().HaveCount(2, "each print goes to the file of its own second's day");
    }

    private static long Second(int secondOfMinute) => new DateTimeOffset(2026, 11, 21, 23, 59, 0, TimeSpan.Zero).ToUnixTimeSeconds() + secondOfMinute;

    private static IndexFrame Frame(int secondOfMinute) =>
        new(new IndexPrint("BRTI", Second(secondOfMinute) * 1000, 65000m + secondOfMinute, (Second(secondOfMinute) * 1000) + 250), null);

    private DailyJsonlWriter Writer() =>
        new(_dir.Path, "kxbtc15m", _time, new AppendOnlyFileOpener(Microsoft.Extensions.Logging.Abstractions.NullLogger<AppendOnlyFile>.Instance), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    private (IndexRecorder Recorder, OfficialIndexBoard Board) Recorder(DailyJsonlWriter writer)
    {
        var board = new OfficialIndexBoard(["BRTI"]);
        return (new IndexRecorder(board, [new IndexSeries("KXBTC15M", "kxbtc15m", "BRTI", writer)], _dir.Path, _time.GetUtcNow()), board);
    }
}
