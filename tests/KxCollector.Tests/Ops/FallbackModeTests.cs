using KxCollector.Tests.Support;

namespace KxCollector.Tests.Ops;

/// <summary>Where no systemd user manager answers, botctl runs the collector in the background itself.</summary>
[Collection(SystemdCollection.Name)]
public sealed class FallbackModeTests : IDisposable
{
    private readonly string _base = SystemdFixture.CreateBaseDirectory("kxfb-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        Directory.Delete(_base, recursive: true);
    }

    private string Deploy => Path.Combine(_base, "deploy");

    [Fact]
    public async Task Without_a_user_manager_botctl_says_so_and_runs_the_collector_with_a_pid_file_and_log()
    {
        SystemdFixture.WriteOfflineEnv(Deploy);
        var emptyRuntime = Path.Combine(_base, "run");
        Directory.CreateDirectory(emptyRuntime);
        Directory.CreateDirectory(Path.Combine(_base, "home"));
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = Path.Combine(_base, "home"),
            ["XDG_RUNTIME_DIR"] = emptyRuntime,
            ["XDG_CONFIG_HOME"] = null,
            ["DBUS_SESSION_BUS_ADDRESS"] = null,
            ["KX_DEPLOY_DIR"] = Deploy,
            ["KX_UNIT_NAME"] = "kxfallback",
        };
        Task<Shell.Result> Botctl(string command, TimeSpan? timeout = null) =>
            Shell.RunAsync(RepositoryRoot.Combine("botctl"), [command], environment, timeout ?? SystemdFixture.CommandTimeout);

        var install = await Botctl("install", SystemdFixture.InstallTimeout);
        install.ExitCode.Should().Be(0, install.ToString());
        install.StandardOutput.Should().Contain("no systemd user manager");
        File.Exists(Path.Combine(_base, "home", ".config", "systemd", "user", "kxfallback.service")).Should().BeFalse();

        var before = TimeProvider.System.GetUtcNow();
        var start = await Botctl("start");
        try
        {
            start.ExitCode.Should().Be(0, start.ToString());
            start.StandardOutput.Should().Contain("started in the background (no systemd user manager)");
            var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(Deploy, ".run", "kxcollector.pid"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Directory.Exists($"/proc/{pid}").Should().BeTrue();
            ProcessEnvironment.Of(pid).Should().Contain("DOTNET_GCgen0size=100000", "background mode caps the GC's gen0 budget as the unit does");
            ProcessEnvironment.Of(pid).Should().Contain("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1", "background mode runs socket continuations inline as the unit does");
            ProcessEnvironment.Of(pid).Should().Contain("DOTNET_TC_QuickJit=0", "background mode jits the daemon's methods optimized at once as the unit does");
            await SystemdFixture.WaitForTickAfterAsync(Deploy, before, TimeSpan.FromSeconds(15));

            var status = await Botctl("status");
            status.ExitCode.Should().Be(1, "recording, no fresh feed; {0}", status);
            status.StandardOutput.Should().Contain($"running in the background (no systemd user manager), PID {pid}");

            (await Botctl("start")).StandardOutput.Should().Contain("already running", "a second start does not start a second collector");

            var stop = await Botctl("stop");
            stop.ExitCode.Should().Be(0, stop.ToString());
            await Poll.UntilAsync(() => !Directory.Exists($"/proc/{pid}"), TimeSpan.FromSeconds(5), () => $"PID {pid} to exit");
            File.Exists(Path.Combine(Deploy, ".run", "kxcollector.pid")).Should().BeFalse();
            (await Botctl("status")).ExitCode.Should().Be(3);
            (await File.ReadAllTextAsync(Path.Combine(Deploy, ".run", "kxcollector.log"))).Should().Contain($"started as PID {pid} (not under systemd notify)");
        }
        finally
        {
            await Botctl("stop");
        }
    }
}
