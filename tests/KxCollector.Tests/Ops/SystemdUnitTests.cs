using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Ops;

/// <summary>botctl and the unit against a real systemd user manager: start, crash, stall, stop, cron healthcheck.</summary>
[Collection(SystemdCollection.Name)]
public sealed class SystemdUnitTests
{
    private static readonly TimeSpan TickTimeout = TimeSpan.FromSeconds(15);
    private readonly SystemdFixture _systemd;

    public SystemdUnitTests(SystemdFixture systemd) => _systemd = systemd;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    [Fact]
    public async Task Install_writes_a_unit_with_every_placeholder_filled_that_systemd_analyze_verify_accepts()
    {
        var unit = await File.ReadAllTextAsync(_systemd.UnitFile);

        unit.Should().NotMatchRegex("@[A-Z_]+@", "botctl fills in every placeholder");
        unit.Should().Contain($"ExecStart={_systemd.DeployDirectory}/publish/kxcollector");
        unit.Should().Contain($"WorkingDirectory={_systemd.DeployDirectory}");
        unit.Should().Contain("Type=notify").And.Contain("RestartPreventExitStatus=78 75").And.Contain("WatchdogSec=");
        _systemd.Install.StandardOutput.Should().Contain("enable-linger");
        (await _systemd.SystemctlAsync("is-enabled", _systemd.UnitName + ".service")).StandardOutput.Trim().Should().Be("enabled");

        var verify = await Shell.RunAsync("systemd-analyze", ["--user", "verify", _systemd.UnitFile], _systemd.BotctlEnvironment());
        verify.ExitCode.Should().Be(0, verify.ToString());
        verify.Output.Should().NotContain(_systemd.UnitName, "verify prints nothing about a clean unit; {0}", verify);
    }

    [Fact]
    public async Task Start_makes_the_unit_active_and_ticking_with_a_status_file_naming_its_PID()
    {
        await _systemd.BotctlAsync("stop");
        var before = Now;

        var start = await _systemd.BotctlAsync("start");

        start.ExitCode.Should().Be(0, start.ToString());
        (await _systemd.ShowAsync("ActiveState")).Should().Be("active");
        var pid = await _systemd.MainPidAsync();
        ProcessEnvironment.Of(pid).Should().Contain("DOTNET_GCgen0size=100000", "the unit caps the GC's gen0 budget");
        ProcessEnvironment.Of(pid).Should().Contain("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1", "the unit runs socket continuations inline");
        ProcessEnvironment.Of(pid).Should().Contain("DOTNET_TC_QuickJit=0", "the unit has the daemon's methods jitted optimized at once");
        var first = await _systemd.WaitForTickAfterAsync(before, TickTimeout);
        await _systemd.WaitForTickAfterAsync(first, TickTimeout);

        await Poll.UntilAsync(
            () => _systemd.ShowAsync("StatusText").GetAwaiter().GetResult().Contains("last tick", StringComparison.Ordinal),
            TickTimeout,
            () => "STATUS= with a summary naming the last tick (it is refreshed every 5 s)");
        await Poll.UntilAsync(() => StatusPid() == pid, TickTimeout, () => $"status.json naming PID {pid}");
        var status = await _systemd.BotctlAsync("status");
        status.ExitCode.Should().Be(1, "it records, but no venue is reachable, so no feed is fresh; {0}", status);
        status.StandardOutput.Should().Contain($"active (running): systemd user unit {_systemd.UnitName}.service, PID {pid}")
            .And.Contain("last tick").And.Contain("UNHEALTHY: no exchange feed has a fresh price");
    }

    [Fact]
    public async Task Kill_9_of_the_main_process_is_restarted_and_ticking_again_within_10_seconds()
    {
        await _systemd.EnsureActiveAsync();
        await _systemd.WaitForTickAfterAsync(Now, TickTimeout);
        var pid = await _systemd.MainPidAsync();
        var killedAt = Now;
        var clock = Stopwatch.StartNew();

        (await Shell.RunAsync("kill", ["-9", pid.ToString(CultureInfo.InvariantCulture)])).ExitCode.Should().Be(0);
        await _systemd.WaitForTickAfterAsync(killedAt, TimeSpan.FromSeconds(10));

        // The tick loop starts with the host's first services and READY=1 goes out once all have started, so the unit
        // may still be "activating" at its first tick: it must be active within the same 10 s.
        await Poll.UntilAsync(
            () => ShowSync("ActiveState") == "active",
            TimeSpan.FromSeconds(10) - clock.Elapsed,
            () => "ActiveState " + ShowSync("ActiveState"));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        var newPid = await _systemd.MainPidAsync();
        newPid.Should().NotBe(pid).And.NotBe(0);
    }

    [Fact]
    public async Task A_stalled_tick_loop_stops_the_watchdog_pings_and_systemd_kills_and_restarts_it()
    {
        // A short watchdog and the test-only stall switch, as a drop-in over the installed unit.
        await _systemd.SetDropInAsync("""
            [Service]
            WatchdogSec=3
            Environment=KX_DEBUG_STALL_TICKS_AFTER_SECONDS=1 KX_DEBUG_ALLOW_FAULTS=1

            """);
        try
        {
            (await _systemd.SystemctlAsync("restart", _systemd.UnitName + ".service")).ExitCode.Should().Be(0);
            var pid = await _systemd.MainPidAsync();
            var restartsBefore = int.Parse(await _systemd.ShowAsync("NRestarts"), CultureInfo.InvariantCulture);

            var sawWatchdogResult = false;
            await Poll.UntilAsync(
                () =>
                {
                    sawWatchdogResult |= ShowSync("Result") == "watchdog";
                    var current = ShowSync("MainPID");
                    return current != "0" && current != pid.ToString(CultureInfo.InvariantCulture);
                },
                TimeSpan.FromSeconds(30),
                () => "systemd to kill the stalled collector and start a new one");

            sawWatchdogResult.Should().BeTrue("systemd records the watchdog as the reason it killed the service");
            int.Parse(await _systemd.ShowAsync("NRestarts"), CultureInfo.InvariantCulture).Should().BeGreaterThan(restartsBefore);
            (await File.ReadAllTextAsync(_systemd.LogFile)).Should().Contain("withholding the watchdog ping");
        }
        finally
        {
            await _systemd.SetDropInAsync(null);
            await _systemd.SystemctlAsync("restart", _systemd.UnitName + ".service");
        }

        await _systemd.WaitForTickAfterAsync(Now, TickTimeout);
    }

    [Fact]
    public async Task Stop_leaves_the_unit_inactive_after_a_clean_exit_0_and_a_whole_last_line()
    {
        await _systemd.EnsureActiveAsync();
        await _systemd.WaitForTickAfterAsync(Now, TickTimeout);

        var stop = await _systemd.BotctlAsync("stop");

        stop.ExitCode.Should().Be(0, stop.ToString());
        (await _systemd.ShowAsync("ActiveState")).Should().Be("inactive");
        (await _systemd.ShowAsync("Result")).Should().Be("success");
        (await _systemd.ShowAsync("ExecMainStatus")).Should().Be("0");
        var data = Directory.EnumerateFiles(Path.Combine(_systemd.DeployDirectory, "data"), "kxbtc15m-*.jsonl").Order(StringComparer.Ordinal).Last();
        (await File.ReadAllBytesAsync(data))[^1].Should().Be((byte)'\n');

        var status = await _systemd.BotctlAsync("status");
        status.ExitCode.Should().Be(3, "a stopped collector is not recording; {0}", status);
        status.StandardOutput.Should().Contain("service     inactive");
    }

    [Fact]
    public async Task Healthcheck_from_a_bare_cron_environment_restarts_a_collector_whose_data_went_stale()
    {
        await _systemd.EnsureActiveAsync();
        await _systemd.WaitForTickAfterAsync(Now, TickTimeout);
        var pid = await _systemd.MainPidAsync();
        var pidText = pid.ToString(CultureInfo.InvariantCulture);

        // Frozen, not dead: systemd still sees it active, only the data shows the problem.
        (await Shell.RunAsync("kill", ["-STOP", pidText])).ExitCode.Should().Be(0);
        try
        {
            var frozenAt = Now;
            await Task.Delay(TimeSpan.FromSeconds(3.5));
            (await _systemd.ShowAsync("ActiveState")).Should().Be("active");

            // cron's environment: no session bus, a short PATH; XDG_RUNTIME_DIR names this test's private manager.
            var check = await Shell.RunAsync("env", [
                "-i", "PATH=/usr/bin:/bin", $"HOME={_systemd.Home}", $"XDG_RUNTIME_DIR={_systemd.RuntimeDirectory}",
                $"KX_DEPLOY_DIR={_systemd.DeployDirectory}", $"KX_UNIT_NAME={_systemd.UnitName}", "KX_MAX_TICK_AGE=3",
                RepositoryRoot.Combine("healthcheck.sh")], timeout: SystemdFixture.CommandTimeout);

            check.ExitCode.Should().Be(0, check.ToString());
            check.StandardOutput.Should().Contain("not recording; restarting").And.Contain("last tick").And.Contain("restarted");
            (await _systemd.MainPidAsync()).Should().NotBe(pid);
            await _systemd.WaitForTickAfterAsync(frozenAt, TickTimeout);
        }
        finally
        {
            await Shell.RunAsync("kill", ["-CONT", pidText]);
        }

        var quiet = await Shell.RunAsync(RepositoryRoot.Combine("healthcheck.sh"), [], _systemd.BotctlEnvironment());
        quiet.ExitCode.Should().Be(0, quiet.ToString());
        quiet.Output.Should().BeEmpty("a healthy collector is left alone, silently");
    }

    [Fact]
    public async Task Logs_read_the_log_file_when_there_is_no_journal()
    {
        await _systemd.EnsureActiveAsync();
        await Poll.UntilAsync(() => File.Exists(_systemd.LogFile) && new FileInfo(_systemd.LogFile).Length > 0, TickTimeout, () => "a log line");

        // Offline, the feeds log each refused connection: ask for enough lines to reach the start-up ones.
        var logs = await _systemd.BotctlAsync("logs", "-n", "2000");

        logs.ExitCode.Should().Be(0, logs.ToString());
        logs.StandardOutput.Should().Contain("SystemdNotifyService: systemd watchdog is 30 s");
    }

    [Fact]
    public async Task Under_systemd_every_log_line_keeps_the_collector_s_own_format()
    {
        // AddSystemd switches Microsoft's console logger to systemd's format when systemd is the parent; Serilog
        // writes the console here, so under the unit the lines must still be ours, one per event, and none of
        // Microsoft's ("Microsoft.Hosting.Lifetime[0]: Application started").
        await _systemd.EnsureActiveAsync();
        await _systemd.WaitForTickAfterAsync(Now, TickTimeout);
        await Poll.UntilAsync(
            () => File.Exists(_systemd.LogFile) && File.ReadAllText(_systemd.LogFile).Contains("started as PID", StringComparison.Ordinal),
            TickTimeout,
            () => "the start-up line in the log file");

        var lines = (await File.ReadAllLinesAsync(_systemd.LogFile)).Where(l => l.Length > 0).ToList();

        lines.Should().Contain(l => l.Contains("SystemdNotifyService: KxCollector", StringComparison.Ordinal) && l.Contains("(under systemd, Type=notify)", StringComparison.Ordinal));
        lines.Should().OnlyContain(
            l => l.StartsWith("   ", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(l, @"^(<[0-7]>)?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [A-Z]{3} [A-Za-z]+: "),
            "each event is one line of ours (a stack trace continues indented)");
        lines.Should().NotContain(l => l.Contains("Microsoft.Hosting.Lifetime", StringComparison.Ordinal));
    }

    private int? StatusPid()
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_systemd.DeployDirectory, "data", "status.json")));
            return doc.RootElement.GetProperty("pid").GetInt32();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private string ShowSync(string property) => _systemd.ShowAsync(property).GetAwaiter().GetResult();
}
