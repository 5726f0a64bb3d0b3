using System.Text.Json;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Hosting;

/// <summary>The daemon as a process: exit codes, the folder lock, and a graceful stop.</summary>
public sealed class DaemonProcessTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_bad_setting_stops_start_up_with_exit_78_and_one_line_naming_the_key()
    {
        using var process = CollectorProcess.Start(_dir.Path, Settings(("KALSHI_ENV", "staging")));

        var exit = await process.WaitForExitAsync(ExitTimeout);

        exit.Should().Be(78);
        process.StandardError.Trim().Should().Be("kxcollector: configuration error: KALSHI_ENV='staging' is not valid; expected prod or demo");
        Directory.Exists(_dir.Combine("data")).Should().BeFalse("nothing is created before the configuration is valid");
    }

    [Fact]
    public async Task A_bad_line_in_the_env_file_is_reported_like_a_bad_environment_variable()
    {
        File.WriteAllText(_dir.Combine(".env"), "FEED_STALE_SECONDS=-1\n");
        using var process = CollectorProcess.Start(_dir.Path, Settings());

        (await process.WaitForExitAsync(ExitTimeout)).Should().Be(78);
        process.StandardError.Should().Contain("FEED_STALE_SECONDS='-1'");
    }

    [Fact]
    public async Task A_second_collector_on_the_same_folder_exits_75_without_writing()
    {
        using var first = CollectorProcess.Start(_dir.Path, Settings());
        var file = await WaitForTickFileAsync(first);
        using var second = CollectorProcess.Start(_dir.Path, Settings());

        var exit = await second.WaitForExitAsync(ExitTimeout);

        exit.Should().Be(75);
        second.StandardError.Should().Contain($"another collector (PID {first.Pid}) is already writing to {_dir.Combine("data")}");
        first.SendSignal(CollectorProcess.SigTerm);
        (await first.WaitForExitAsync(ExitTimeout)).Should().Be(0);
        var seconds = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("ts").GetString()![..19]).ToList();
        seconds.Should().OnlyHaveUniqueItems("only the first collector wrote");
    }

    [Fact]
    public async Task SIGTERM_stops_the_collector_with_exit_0_and_a_whole_last_line()
    {
        using var process = CollectorProcess.Start(_dir.Path, Settings());
        var file = await WaitForTickFileAsync(process);

        process.SendSignal(CollectorProcess.SigTerm);

        (await process.WaitForExitAsync(ExitTimeout)).Should().Be(0);
        var bytes = File.ReadAllBytes(file);
        bytes[^1].Should().Be((byte)'\n');
        foreach (var line in File.ReadAllLines(file))
        {
            JsonDocument.Parse(line).RootElement.GetProperty("type").GetString().Should().Be("tick");
        }

        File.Exists(_dir.Combine("data", ".kxcollector.pid")).Should().BeFalse("a clean stop removes its pid file");
    }

    private static Dictionary<string, string> Settings(params (string Key, string Value)[] overrides) =>
        OfflineSettings.For("./data", overrides);

    private Task<string> WaitForTickFileAsync(CollectorProcess process) =>
        Poll.ForValueAsync(
            () =>
            {
                process.HasExited.Should().BeFalse($"the collector should keep running; stderr: {process.StandardError}");
                var data = _dir.Combine("data");
                return Directory.Exists(data)
                    ? Directory.EnumerateFiles(data, "kxbtc15m-*.jsonl").FirstOrDefault(f => new FileInfo(f).Length > 0)
                    : null;
            },
            TimeSpan.FromSeconds(30),
            () => "a tick file with a line in it; stdout: " + process.StandardOutput);
}
