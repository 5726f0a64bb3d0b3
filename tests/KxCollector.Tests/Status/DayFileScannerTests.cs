using KxCollector.Status;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Status;

public sealed class DayFileScannerTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 21);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Counts_ticks_and_other_lines_and_reads_only_what_was_appended_since_the_last_call()
    {
        var path = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        File.WriteAllText(path, Tick("00:00:01") + Tick("00:00:02") + "{\"type\":\"settlement\",\"ts\":\"2026-11-21T00:00:02.500Z\"}\n");
        var scanner = new DayFileScanner();

        var first = scanner.Scan(path, Day);
        File.AppendAllText(path, Tick("00:00:04") + "{\"type\":\"tick\",\"ts\":\"2026-11-21T00:00:05.0"); // a line still being written
        var second = scanner.Scan(path, Day);
        File.AppendAllText(path, "01Z\",\"brti\":null}\n");
        var third = scanner.Scan(path, Day);

        first.Should().Match<DayFileFacts>(f => f.Exists && f.Lines == 3 && f.Ticks == 2);
        second.Ticks.Should().Be(3, "the unfinished line is not counted yet");
        third.Ticks.Should().Be(4);
        third.Lines.Should().Be(5);
        third.FirstTickAt.Should().Be(At("00:00:01"));
        third.LastTickAt.Should().Be(At("00:00:05"));
        third.Bytes.Should().Be(new FileInfo(path).Length);
        third.MissingSecondsAt(At("00:00:05.5")).Should().Be(2, "00:00:00 and 00:00:03");
        third.MissingSecondsSinceFirstTickAt(At("00:00:05.5")).Should().Be(1);
        third.MissingSecondsAt(At("00:01:00.5")).Should().Be(56, "a dead collector's gap keeps growing: 00:00:00, :03 and :06 to :59");
    }

    [Fact]
    public void A_missing_file_is_reported_and_a_replaced_one_is_counted_afresh()
    {
        var path = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        var scanner = new DayFileScanner();

        scanner.Scan(path, Day).Should().Match<DayFileFacts>(f => !f.Exists && f.Ticks == 0);
        File.WriteAllText(path, Tick("00:00:01") + Tick("00:00:02"));
        scanner.Scan(path, Day).Ticks.Should().Be(2);
        File.WriteAllText(path, Tick("00:00:09"));
        scanner.Scan(path, Day).Should().Match<DayFileFacts>(f => f.Ticks == 1 && f.FirstTickAt == At("00:00:09"));
    }

    private static string Tick(string time) => $"{{\"type\":\"tick\",\"ts\":\"2026-11-21T{time}.001Z\",\"brti\":null,\"markets\":[]}}\n";

    private static DateTimeOffset At(string time) =>
        DateTimeOffset.Parse($"2026-11-21T{time}{(time.Contains('.', StringComparison.Ordinal) ? string.Empty : ".001")}Z", System.Globalization.CultureInfo.InvariantCulture);
}
