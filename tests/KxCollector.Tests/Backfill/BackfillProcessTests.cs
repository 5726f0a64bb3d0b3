using KxCollector.Backfill;
using KxCollector.Fakes.Kalshi;
using KxCollector.Recording;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Backfill;

/// <summary>The real `kxcollector backfill` process: killed with SIGKILL mid-run, the same command finishes the job.</summary>
public sealed class BackfillProcessTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private FakeKalshiServer _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeKalshiServer.StartAsync();
        BackfillScenario.Populate(_fake);
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_backfill_killed_with_SIGKILL_then_stopped_with_Ctrl_C_and_run_again_ends_with_the_same_files_as_an_uninterrupted_run()
    {
        using var reference = new TempDirectory();
        await BackfillScenario.RunAsync(_fake, reference.Path, 400, CancellationToken.None);
        var output = _dir.Combine("data");
        var settings = OfflineSettings.For(output, ("KALSHI_API_URL", _fake.ApiBaseUrl.AbsoluteUri), ("KALSHI_REST_RPS", "25"));
        string[] args = ["backfill", "--series", "KXBTC15M", "--from", "2026-10-01", "--to", "2026-10-01"];
        var journal = Path.Combine(DayFileName.BackfillDirectoryOf(output, BackfillScenario.Series), BackfillStore.JournalName);

        // Each signal must find work still pending, however fast the machine: once the journal holds the lines a phase
        // waits for, the fake stops answering, so the run cannot finish before the signal reaches it.
        HangOnceJournalHas(journal, 8);
        using (var killed = CollectorProcess.Start(_dir.Path, settings, args))
        {
            await Poll.UntilAsync(
                () => File.Exists(journal) && File.ReadAllLines(journal).Length >= 8 || killed.HasExited,
                TimeSpan.FromSeconds(30),
                () => $"journal lines: {(File.Exists(journal) ? File.ReadAllLines(journal).Length : 0)}; stderr: {killed.StandardError}");
            killed.HasExited.Should().BeFalse($"the run should still be going when killed; stdout: {killed.StandardOutput}");
            killed.SendSignal(CollectorProcess.SigKill);
            (await killed.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().Be(128 + CollectorProcess.SigKill);
        }

        var afterKill = File.ReadAllLines(journal).Length;
        afterKill.Should().BeLessThan(BackfillScenario.SettledMarkets * 3, "the kill came before the end");

        HangOnceJournalHas(journal, afterKill + 4);
        using (var interrupted = CollectorProcess.Start(_dir.Path, settings, args))
        {
            await Poll.UntilAsync(
                () => File.ReadAllLines(journal).Length >= afterKill + 4 || interrupted.HasExited,
                TimeSpan.FromSeconds(30),
                () => $"journal lines: {File.ReadAllLines(journal).Length}; stderr: {interrupted.StandardError}");
            interrupted.SendSignal(CollectorProcess.SigInt);
            (await interrupted.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().Be(KxCollector.Cli.ExitCodes.Interrupted, interrupted.StandardOutput);
            interrupted.StandardOutput.Should().Contain("backfill KXBTC15M interrupted (run the same command again to continue)");
        }

        // The hook may not have fired yet if the signal came first; neither it nor the hang may reach the last run.
        _fake.OnRequest(null);
        _fake.HangFor(TimeSpan.Zero);
        using var resumed = CollectorProcess.Start(_dir.Path, settings, args);
        var exit = await resumed.WaitForExitAsync(TimeSpan.FromSeconds(40));

        exit.Should().Be(0, $"stdout: {resumed.StandardOutput} stderr: {resumed.StandardError}");
        resumed.StandardOutput.Should().Contain("backfill KXBTC15M done").And.Contain("done by an earlier run");
        BackfillRunTests.AssertSameFiles(BackfillScenario.Files(reference.Path), BackfillScenario.Files(output), "after kill -9 and a rerun");
    }

    /// <summary>From the first answered request after the journal reaches <paramref name="lines"/> lines, every request hangs.</summary>
    private void HangOnceJournalHas(string journal, int lines)
    {
        _fake.HangFor(TimeSpan.Zero);
        _fake.OnRequest(_ =>
        {
            if (!File.Exists(journal) || File.ReadAllLines(journal).Length < lines)
            {
                return false;
            }

            _fake.HangFor(TimeSpan.FromMinutes(2));
            return true;
        });
    }
}
