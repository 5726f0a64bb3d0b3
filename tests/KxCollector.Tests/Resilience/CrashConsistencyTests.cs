using KxCollector.Tests.Support;
using KxCollector.Verification;

namespace KxCollector.Tests.Resilience;

/// <summary>
/// kill -9 at random moments while the collector writes, many times over one output folder: the data must stay
/// parseable line by line, with seconds missing only while no process was alive.
/// </summary>
public sealed class CrashConsistencyTests : IDisposable
{
    private const int Kills = 50;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Fifty_kill_9s_leave_no_torn_or_glued_line_and_no_hole_outside_the_dead_time()
    {
        var data = _dir.Combine("data");
        var random = new Random(20261121);
        var deadIntervals = new List<(long FromSecond, long ToSecond)>();
        long? killedAtSecond = null;

        for (var run = 0; run < Kills; run++)
        {
            var linesBefore = CountLines(data);
            using var process = CollectorProcess.Start(_dir.Path, OfflineSettings.For(data));
            await Poll.UntilAsync(() => CountLines(data) > linesBefore || process.HasExited, TimeSpan.FromSeconds(30), () => $"run {run} wrote no tick; stderr: {process.StandardError}");
            process.HasExited.Should().BeFalse($"run {run} must not exit by itself; stderr: {process.StandardError}");

            if (killedAtSecond is { } killed)
            {
                deadIntervals.Add((killed, FirstSecondOfLastRun(data, linesBefore)));
            }

            await Task.Delay(random.Next(0, 1000));
            killedAtSecond = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
            process.SendSignal(CollectorProcess.SigKill);
            (await process.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().Be(128 + CollectorProcess.SigKill);
        }

        // One more clean start repairs whatever the last kill tore, as any restart would.
        using (var last = CollectorProcess.Start(_dir.Path, OfflineSettings.For(data)))
        {
            var before = CountLines(data);
            await Poll.UntilAsync(() => CountLines(data) > before, TimeSpan.FromSeconds(30), () => "the final run wrote no tick");
            deadIntervals.Add((killedAtSecond!.Value, FirstSecondOfLastRun(data, before)));
            last.SendSignal(CollectorProcess.SigTerm);
            (await last.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        }

        var reports = Directory.EnumerateFiles(data, "*.jsonl").Select(DataFileVerifier.Verify).ToList();
        reports.Should().NotBeEmpty();
        foreach (var report in reports)
        {
            report.UnparseableLineCount.Should().Be(0, $"lines {string.Join(",", report.UnparseableLines)} of {report.Path} do not parse");
            report.DuplicatedSeconds.Should().Be(0);
            report.TicksInWrongFile.Should().Be(0);
            foreach (var gap in report.AllGaps)
            {
                var from = gap.From.ToUnixTimeSeconds();
                var to = gap.To.ToUnixTimeSeconds();
                deadIntervals.Should().Contain(d => d.FromSecond <= from && to < d.ToSecond, $"the gap {gap.From:HH:mm:ss}–{gap.To:HH:mm:ss} must fall while no collector was alive");
            }
        }
    }

    private static long CountLines(string data) =>
        Directory.Exists(data) ? Directory.EnumerateFiles(data, "*.jsonl").Sum(f => File.ReadAllBytes(f).Count(b => b == (byte)'\n')) : 0;

    /// <summary>The second of the first tick written after the first <paramref name="linesBefore"/> lines.</summary>
    private static long FirstSecondOfLastRun(string data, long linesBefore)
    {
        var lines = Directory.EnumerateFiles(data, "*.jsonl").Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines).Skip((int)linesBefore).First();
        var ts = System.Text.Json.JsonDocument.Parse(lines).RootElement.GetProperty("ts").GetDateTimeOffset();
        return ts.ToUnixTimeSeconds();
    }
}
