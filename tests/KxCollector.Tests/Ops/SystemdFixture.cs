using System.Globalization;
using System.Text.Json;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Ops;

/// <summary>
/// A private systemd user manager for the system tests (started by tests/systemd/setup-user-manager.sh, which
/// installs systemd first where it is missing), a throwaway deploy folder with a .env pointing every venue at a
/// closed local port, and one real `botctl install` into it. HOME and XDG_RUNTIME_DIR are private, so nothing
/// touches the real ~/.config or a user manager already running here; the unit name is unique because on a
/// machine without cgroup delegation every manager shares one cgroup tree. Fails loudly when systemd cannot run.
/// </summary>
public sealed class SystemdFixture : IAsyncLifetime
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// `botctl install` compiles the collector at nice 10 without the compiler server: about a minute alone on two
    /// cores, and it once took over two minutes beside the other test collections. A build, not a timed behaviour.
    /// </summary>
    public static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(6);

    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    public string BaseDirectory { get; private set; } = string.Empty;

    public string DeployDirectory => Path.Combine(BaseDirectory, "deploy");

    public string RuntimeDirectory => Path.Combine(BaseDirectory, "run");

    public string Home => Path.Combine(BaseDirectory, "home");

    public string UnitName => "kxtest-" + _id;

    public string UnitFile => Path.Combine(Home, ".config", "systemd", "user", UnitName + ".service");

    public string DropInDirectory => UnitFile + ".d";

    public string LogFile => Path.Combine(DeployDirectory, ".run", "kxcollector.log");

    public int ManagerPid { get; private set; }

    public Shell.Result Install { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        BaseDirectory = CreateBaseDirectory("kxsys-" + _id);
        var setup = await Shell.RunAsync("bash", [RepositoryRoot.Combine("tests", "systemd", "setup-user-manager.sh"), "start", BaseDirectory], timeout: TimeSpan.FromMinutes(5));
        setup.ExitCode.Should().Be(0, "a systemd user manager must start for these tests; {0}", setup);
        ManagerPid = int.Parse(setup.StandardOutput.Trim().Split('\n')[^1], CultureInfo.InvariantCulture);

        WriteOfflineEnv(DeployDirectory);
        Install = await BotctlAsync(InstallTimeout, "install");
        Install.ExitCode.Should().Be(0, Install.ToString());
    }

    public async Task DisposeAsync()
    {
        if (ManagerPid > 0)
        {
            await BotctlAsync("uninstall");
            await Shell.RunAsync("kill", ["-TERM", ManagerPid.ToString(CultureInfo.InvariantCulture)]);
            await Poll.UntilAsync(() => !Directory.Exists($"/proc/{ManagerPid}"), TimeSpan.FromSeconds(30), () => "the user manager to exit");
        }

        if (BaseDirectory.Length > 0)
        {
            Directory.Delete(BaseDirectory, recursive: true);
        }
    }

    /// <summary>
    /// Not under /tmp: the unit's PrivateTmp= would hide the binary and the notify socket there. /run is short enough
    /// for the sockets' 108-byte path limit.
    /// </summary>
    public static string CreateBaseDirectory(string name)
    {
        var parent = Directory.Exists("/run") && IsWritable("/run") ? "/run" : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var path = Path.Combine(parent, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void WriteOfflineEnv(string deployDirectory)
    {
        Directory.CreateDirectory(deployDirectory);
        File.WriteAllText(Path.Combine(deployDirectory, ".env"), """
            COINBASE_WS_URL=ws://127.0.0.1:9/coinbase
            KRAKEN_WS_URL=ws://127.0.0.1:9/kraken
            BITSTAMP_WS_URL=ws://127.0.0.1:9/bitstamp
            KALSHI_API_URL=http://127.0.0.1:9/trade-api/v2
            KALSHI_WS_URL=ws://127.0.0.1:9/trade-api/ws/v2

            """);
    }

    public Dictionary<string, string?> BotctlEnvironment() => new()
    {
        ["HOME"] = Home,
        ["XDG_RUNTIME_DIR"] = RuntimeDirectory,
        ["XDG_CONFIG_HOME"] = null,
        ["DBUS_SESSION_BUS_ADDRESS"] = null,
        ["KX_DEPLOY_DIR"] = DeployDirectory,
        ["KX_UNIT_NAME"] = UnitName,
    };

    public Task<Shell.Result> BotctlAsync(params string[] args) => BotctlAsync(CommandTimeout, args);

    public Task<Shell.Result> BotctlAsync(TimeSpan timeout, params string[] args) =>
        Shell.RunAsync(RepositoryRoot.Combine("botctl"), args, BotctlEnvironment(), timeout);

    public Task<Shell.Result> SystemctlAsync(params string[] args) =>
        Shell.RunAsync("systemctl", ["--user", .. args], BotctlEnvironment(), CommandTimeout);

    public async Task<string> ShowAsync(string property) =>
        (await SystemctlAsync("show", "-p", property, "--value", UnitName + ".service")).StandardOutput.Trim();

    public async Task<int> MainPidAsync() => int.Parse(await ShowAsync("MainPID"), CultureInfo.InvariantCulture);

    public async Task EnsureActiveAsync()
    {
        if (await ShowAsync("ActiveState") != "active")
        {
            var start = await BotctlAsync("start");
            start.ExitCode.Should().Be(0, start.ToString());
        }
    }

    /// <summary>Adds a drop-in (the systemd way to override a unit for a test) and reloads.</summary>
    public async Task SetDropInAsync(string? content)
    {
        var file = Path.Combine(DropInDirectory, "test.conf");
        if (content is null)
        {
            File.Delete(file);
        }
        else
        {
            Directory.CreateDirectory(DropInDirectory);
            await File.WriteAllTextAsync(file, content);
        }

        (await SystemctlAsync("daemon-reload")).ExitCode.Should().Be(0);
    }

    /// <summary>Waits for a tick line stamped after <paramref name="after"/> in the deploy folder's data file.</summary>
    public Task<DateTimeOffset> WaitForTickAfterAsync(DateTimeOffset after, TimeSpan timeout) => WaitForTickAfterAsync(DeployDirectory, after, timeout);

    public static async Task<DateTimeOffset> WaitForTickAfterAsync(string deployDirectory, DateTimeOffset after, TimeSpan timeout)
    {
        DateTimeOffset? found = null;
        await Poll.UntilAsync(
            () => (found = LastTick(deployDirectory)) is { } last && last > after,
            timeout,
            () => $"a tick after {after:O} in {deployDirectory}/data (last: {found:O})");
        return found!.Value;
    }

    public static DateTimeOffset? LastTick(string deployDirectory)
    {
        var data = Path.Combine(deployDirectory, "data");
        if (!Directory.Exists(data))
        {
            return null;
        }

        var file = Directory.EnumerateFiles(data, "kxbtc15m-*.jsonl").Order(StringComparer.Ordinal).LastOrDefault();
        if (file is null)
        {
            return null;
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? null : JsonDocument.Parse(lines[^1]).RootElement.GetProperty("ts").GetDateTimeOffset();
    }

    private static bool IsWritable(string directory)
    {
        var probe = Path.Combine(directory, ".kxsys-probe-" + Environment.ProcessId);
        try
        {
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SystemdCollection : ICollectionFixture<SystemdFixture>
{
    /// <summary>One collection: its tests share the manager and run one at a time (they start and stop the same unit).</summary>
    public const string Name = "systemd";
}
