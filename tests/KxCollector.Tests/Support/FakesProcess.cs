using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace KxCollector.Tests.Support;

/// <summary>
/// The bundled venue fakes (kxfakes.dll, built beside the tests) as a child process, for tests of other processes:
/// waits for its "ready:" line and reads the "name value" lines it prints (URLs, the Kalshi key id). Killed on dispose.
/// </summary>
public sealed class FakesProcess : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private FakesProcess(Process process)
    {
        _process = process;
    }

    public Process Process => _process;

    public string StandardOutput => Read(_stdout);

    public string Output => "stdout:\n" + StandardOutput + "stderr:\n" + Read(_stderr);

    /// <summary>Starts `kxfakes ARGS…` and returns at once; see <see cref="StartReadyAsync"/> to wait for it.</summary>
    public static FakesProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kxfakes.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var fakes = new FakesProcess(new Process { StartInfo = info });
        fakes._process.OutputDataReceived += (_, e) => Append(fakes._stdout, e.Data);
        fakes._process.ErrorDataReceived += (_, e) => Append(fakes._stderr, e.Data);
        fakes._process.Start();
        fakes._process.BeginOutputReadLine();
        fakes._process.BeginErrorReadLine();
        return fakes;
    }

    /// <summary>Starts `kxfakes ARGS…` and waits for its ready line.</summary>
    public static async Task<FakesProcess> StartReadyAsync(params string[] args)
    {
        var fakes = Start(args);
        try
        {
            await fakes.WaitReadyAsync(ReadyTimeout);
            return fakes;
        }
        catch
        {
            fakes.Dispose();
            throw;
        }
    }

    public Task WaitReadyAsync(TimeSpan timeout) =>
        Poll.UntilAsync(() => StandardOutput.Contains("ready:", StringComparison.Ordinal), timeout, "the fakes' ready line", () => Output);

    /// <summary>The value of a "KEY value" line of its output, e.g. "kalshi-rest" or "coinbase".</summary>
    public string Value(string key) =>
        StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Single(l => l.StartsWith(key + " ", StringComparison.Ordinal))[(key.Length + 1)..];

    /// <summary>SIGTERM, as a service manager stops it.</summary>
    public async Task TerminateAsync() =>
        (await Shell.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])).ExitCode.Should().Be(0);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is not null)
        {
            lock (target)
            {
                target.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder source)
    {
        lock (source)
        {
            return source.ToString();
        }
    }
}
