using KxCollector.Tests.Support;
using KxCollector.Verification;

namespace KxCollector.Tests.Resilience;

/// <summary>A real full disk (a small tmpfs): the collector stays up, logs, and catches up when space frees.</summary>
public sealed class DiskFullTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_full_disk_loses_no_tick_and_leaves_no_partial_line_once_space_frees()
    {
        using var tmpfs = TmpfsMount.Create(_dir.Combine("data"), sizeKiB: 256);

        // tmpfs allocates whole pages: a file ending exactly on a page boundary needs a new page for its next
        // line, so with the disk full the very first tick is refused by the kernel.
        var file = Path.Combine(tmpfs.Path, $"kxbtc15m-{TimeProvider.System.GetUtcNow():yyyy-MM-dd}.jsonl");
        var prefix = "{\"type\":\"padding\",\"x\":\"";
        File.WriteAllText(file, prefix + new string('x', 4096 - prefix.Length - 3) + "\"}\n");
        new FileInfo(file).Length.Should().Be(4096);
        var filler = tmpfs.FillUp();

        using var process = CollectorProcess.Start(_dir.Path, OfflineSettings.For(tmpfs.Path));
        await Poll.UntilAsync(() => process.StandardOutput.Contains("Cannot write", StringComparison.Ordinal), TimeSpan.FromSeconds(15), () => "a logged write failure; stdout: " + process.StandardOutput + " stderr: " + process.StandardError);
        await Task.Delay(TimeSpan.FromSeconds(3)); // ticks pile up in the backlog while the disk is full
        process.HasExited.Should().BeFalse("a full disk must not crash the collector");
        new FileInfo(file).Length.Should().Be(4096, "nothing can be written while the disk is full, not even part of a line");

        File.Delete(filler);
        await Poll.UntilAsync(() => process.StandardOutput.Contains("Writing resumed", StringComparison.Ordinal), TimeSpan.FromSeconds(15), () => "writing resumed; stdout: " + process.StandardOutput);
        process.SendSignal(CollectorProcess.SigTerm);
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);

        var report = DataFileVerifier.Verify(file);
        report.UnparseableLineCount.Should().Be(0, "a write cut short by ENOSPC is rolled back, never left as a partial line");
        report.MissingSeconds.Should().Be(0, "ticks sampled while the disk was full are written when it frees");
        report.DuplicatedSeconds.Should().Be(0);
        report.Ticks.Should().BeGreaterThanOrEqualTo(3, "ticks were sampled through the outage and after it");
    }
}
