using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace KxCollector.Tests.Support;

/// <summary>
/// Runs the real kxcollector binary (built beside the tests) as a child process, for what only a process can show:
/// exit codes, signals, the folder lock between two processes.
/// </summary>
public sealed partial class CollectorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private CollectorProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static string BinaryPath => Path.Combine(AppContext.BaseDirectory, "kxcollector.dll");

    /// <param name="workingDirectory">Where ./.env and a relative OUTPUT_DIR are resolved.</param>
    /// <param name="environment">Settings for this run; every KxCollector key not given is removed from the inherited environment.</param>
    public static CollectorProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // SigInt must reach the collector however the test runner was started.
        var info = TerminalSigInt.StartInfo("dotnet");
        info.WorkingDirectory = workingDirectory;
        info.ArgumentList.Add(BinaryPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in info.Environment.Keys.Where(IsCollectorKey).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var wrapper = new CollectorProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.Collect(wrapper._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Collect(wrapper._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Waits for exit and returns the exit code; fails the test if it takes longer than <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"kxcollector did not exit within {timeout}. stderr: {StandardError} stdout: {StandardOutput}");
        }

        return _process.ExitCode;
    }

    public void SendSignal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static bool IsCollectorKey(string key) =>
        key is "OUTPUT_DIR" or "SERIES_TICKER" or "HEALTH_PORT" or "DATABASE_URL" or "LOG_FORMAT" ||
        key is "NOTIFY_SOCKET" or "WATCHDOG_USEC" or "WATCHDOG_PID" or "JOURNAL_STREAM" ||
        key.StartsWith("FEED_", StringComparison.Ordinal) || key.StartsWith("KALSHI_", StringComparison.Ordinal) ||
        key.EndsWith("_WS_URL", StringComparison.Ordinal) || key.StartsWith("KX_", StringComparison.Ordinal);

    private void Collect(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }
    }

    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
