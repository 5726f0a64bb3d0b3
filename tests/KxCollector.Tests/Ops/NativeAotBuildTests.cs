using System.Globalization;
using System.Text.Json;
using KxCollector.Tests.Store.Support;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Ops;

/// <summary>
/// `KX_BUILD=aot ./botctl install` publishes the collector as a native AOT binary (half the memory of the JIT build:
/// docs/BENCHMARKS.md). What the trim/AOT analyzers cannot prove is proven here: the native binary records from
/// the venue fakes over real sockets (exchange feeds, signed Kalshi REST and WebSocket), stores into PostgreSQL
/// (Npgsql), serves the health port (Kestrel: /health, /metrics, the status page), answers botctl status, and its
/// verify, settlements and export write exactly what the JIT build writes from the same files.
/// In the systemd collection: the native compile takes minutes of both cores and must not starve the timed tests.
/// </summary>
[Collection(SystemdCollection.Name)]
public sealed class NativeAotBuildTests(PostgresServer postgres) : IDisposable, IClassFixture<PostgresServer>
{
    // ILC on two shared cores: about three minutes, more under load.
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    private readonly string _base = SystemdFixture.CreateBaseDirectory("kxaot-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        Directory.Delete(_base, recursive: true);
    }

    private string Deploy => Path.Combine(_base, "deploy");

    [Fact]
    public async Task The_native_build_records_from_the_fakes_and_reports_and_exports_exactly_as_the_JIT_build()
    {
        using var exchanges = await FakesProcess.StartReadyAsync("exchanges", "--rate", "5");
        var keyPath = Path.Combine(_base, "kalshi.pem");
        using var kalshi = await FakesProcess.StartReadyAsync("kalshi", "--rate", "20", "--key-out", keyPath);
        Directory.CreateDirectory(Deploy);
        var database = await postgres.CreateDatabaseAsync();
        var healthPort = FreePorts.Loopback();
        await File.WriteAllTextAsync(Path.Combine(Deploy, ".env"), string.Join('\n',
            $"COINBASE_WS_URL={exchanges.Value("coinbase")}",
            $"KRAKEN_WS_URL={exchanges.Value("kraken")}",
            $"BITSTAMP_WS_URL={exchanges.Value("bitstamp")}",
            $"KALSHI_API_URL={kalshi.Value("kalshi-rest")}",
            $"KALSHI_WS_URL={kalshi.Value("kalshi-ws")}",
            $"KALSHI_API_KEY_ID={kalshi.Value("kalshi-key-id")}",
            $"KALSHI_PRIV_KEY_PATH={keyPath}",
            $"DATABASE_URL={postgres.Url(database)}",
            $"HEALTH_PORT={healthPort}",
            string.Empty));
        var runtime = Path.Combine(_base, "run");
        Directory.CreateDirectory(runtime);
        Directory.CreateDirectory(Path.Combine(_base, "home"));
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = Path.Combine(_base, "home"),
            ["XDG_RUNTIME_DIR"] = runtime, // no user manager there: botctl's background mode
            ["XDG_CONFIG_HOME"] = null,
            ["DBUS_SESSION_BUS_ADDRESS"] = null,
            ["KX_DEPLOY_DIR"] = Deploy,
            ["KX_UNIT_NAME"] = "kxaot",
            ["KX_BUILD"] = "aot",
        };
        Task<Shell.Result> Botctl(TimeSpan timeout, params string[] args) => Shell.RunAsync(RepositoryRoot.Combine("botctl"), args, environment, timeout);

        var install = await Botctl(InstallTimeout, "install");
        install.ExitCode.Should().Be(0, install.ToString());
        var publish = Path.Combine(Deploy, "publish");
        File.Exists(Path.Combine(publish, "kxcollector")).Should().BeTrue(install.ToString());
        File.Exists(Path.Combine(publish, "kxcollector.dll")).Should().BeFalse("a native build carries no IL to JIT");

        var data = Path.Combine(Deploy, "data");
        var start = await Botctl(SystemdFixture.CommandTimeout, "start");
        try
        {
            start.ExitCode.Should().Be(0, start.ToString());
            var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(Deploy, ".run", "kxcollector.pid"))).Trim(), CultureInfo.InvariantCulture);
            var maps = await File.ReadAllTextAsync($"/proc/{pid}/maps");
            maps.Should().NotContain("libclrjit.so").And.NotContain("libcoreclr.so", "the collector runs as native code, without the JIT runtime");
            ProcessEnvironment.Of(pid).Should().Contain("DOTNET_GCgen0size=100000", "the native build gets the same GC budget")
                .And.Contain("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1", "and the same socket dispatch");

            // A tick with all three exchange prices and the fake's open KXBTC15M market: feeds, REST and signing work.
            await Poll.UntilAsync(() => CompleteTick(data) is not null, TimeSpan.FromSeconds(60), "a tick with three exchange prices and a market", () => install.ToString());
            var status = await Botctl(SystemdFixture.CommandTimeout, "status");
            status.ExitCode.Should().Be(0, "recording with fresh feeds and Kalshi; {0}", status);

            await Poll.UntilAsync(() => postgres.CountSoFar(database, "SELECT count(*) FROM index_ticks") >= 2, TimeSpan.FromSeconds(60), "ticks stored by the native build", () => File.ReadAllText(Path.Combine(Deploy, ".run", "kxcollector.log")));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}") };
            using (var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/health", UriKind.Relative))))
            {
                health.RootElement.GetProperty("pid").GetInt32().Should().Be(pid);
            }

            (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Should().Contain("kxcollector_ticks_written_total");
            (await http.GetStringAsync(new Uri("/", UriKind.Relative))).Should().Contain("<html");
        }
        finally
        {
            (await Botctl(SystemdFixture.CommandTimeout, "stop")).ExitCode.Should().Be(0);
        }

        // The same verbs over the same files, native against JIT: byte for byte the same output and exit codes.
        var records = Path.Combine(_base, "records");
        Directory.CreateDirectory(records);
        await File.WriteAllLinesAsync(Path.Combine(records, "kxbtc15m-2026-03-14.jsonl"),
            Directory.EnumerateFiles(Fixtures.Path("records"), "*.jsonl").Order(StringComparer.Ordinal).SelectMany(File.ReadLines));
        var native = Path.Combine(publish, "kxcollector");
        foreach (var folder in new[] { records, data })
        {
            foreach (var verb in new[] { "verify", "settlements" })
            {
                var nativeRun = await Shell.RunAsync(native, [verb, "--json", folder], NoEnvFile(folder), SystemdFixture.CommandTimeout, _base);
                var jitRun = await Shell.RunAsync("dotnet", [CollectorProcess.BinaryPath, verb, "--json", folder], NoEnvFile(folder), SystemdFixture.CommandTimeout, _base);
                nativeRun.StandardOutput.Should().NotBeEmpty(nativeRun.ToString());
                nativeRun.StandardOutput.Should().Be(jitRun.StandardOutput, $"{verb} --json {folder}");
                nativeRun.ExitCode.Should().Be(jitRun.ExitCode, nativeRun.ToString());
            }
        }

        foreach (var format in new[] { "parquet", "csv" })
        {
            var nativeOut = Path.Combine(_base, "export-native-" + format);
            var jitOut = Path.Combine(_base, "export-jit-" + format);
            string[] Export(string output) => ["export", "--series", "KXBTC15M", "--from", "2026-03-14", "--to", "2026-03-14", "--format", format, "--out", output];
            var nativeRun = await Shell.RunAsync(native, Export(nativeOut), NoEnvFile(records), SystemdFixture.CommandTimeout, _base);
            nativeRun.ExitCode.Should().Be(0, nativeRun.ToString());
            var jitRun = await Shell.RunAsync("dotnet", [CollectorProcess.BinaryPath, .. Export(jitOut)], NoEnvFile(records), SystemdFixture.CommandTimeout, _base);
            jitRun.ExitCode.Should().Be(0, jitRun.ToString());
            var files = Directory.EnumerateFiles(jitOut, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(jitOut, f)).Order(StringComparer.Ordinal).ToList();
            files.Should().HaveCount(9, "one file per table");
            Directory.EnumerateFiles(nativeOut, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(nativeOut, f)).Order(StringComparer.Ordinal)
                .Should().Equal(files);
            foreach (var file in files)
            {
                (await File.ReadAllBytesAsync(Path.Combine(nativeOut, file))).Should().Equal(await File.ReadAllBytesAsync(Path.Combine(jitOut, file)), file);
            }
        }
    }

    // Only the folder given: neither binary may pick up a .env from the working folder or the test's own settings.
    private static Dictionary<string, string?> NoEnvFile(string outputDirectory) => new() { ["OUTPUT_DIR"] = outputDirectory };

    private static JsonElement? CompleteTick(string data)
    {
        var file = Directory.Exists(data) ? Directory.EnumerateFiles(data, "kxbtc15m-*.jsonl").Order(StringComparer.Ordinal).LastOrDefault() : null;
        if (file is null)
        {
            return null;
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        JsonElement? found = null;
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith("{\"type\":\"tick\"", StringComparison.Ordinal) || !line.EndsWith('}'))
            {
                continue;
            }

            using var tick = JsonDocument.Parse(line);
            var root = tick.RootElement;
            if (new[] { "coinbase", "kraken", "bitstamp" }.All(k => root.GetProperty(k).ValueKind == JsonValueKind.Number) &&
                root.GetProperty("markets").GetArrayLength() > 0)
            {
                found = root.Clone();
            }
        }

        return found;
    }
}
