using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Ops;

/// <summary>
/// <c>./botctl demo</c>, the new user's first command: offline, on the bundled fakes, in a temp folder. It records
/// ticks with books, the stream's trades and lifecycle, a market that opens and settles and its settlement line, runs
/// verify on what it wrote, and leaves nothing behind: not in ./data, not in the installed unit, no temp folder and no
/// process, whether it runs out its time or is stopped with Ctrl-C.
/// </summary>
public sealed partial class DemoTests : IDisposable
{
    private readonly TempDirectory _base = new();

    public DemoTests()
    {
        Directory.CreateDirectory(Tmp);
        Directory.CreateDirectory(Path.Combine(Deploy, "data"));
        File.WriteAllText(Path.Combine(Deploy, "data", "kxbtc15m-2026-11-21.jsonl"), "{\"type\":\"tick\"}\n");
        Directory.CreateDirectory(Path.GetDirectoryName(UnitFile)!);
        File.WriteAllText(UnitFile, "[Service]\nExecStart=/bin/true\n");
    }

    private string Tmp => Path.Combine(_base.Path, "tmp");

    private string Deploy => Path.Combine(_base.Path, "deploy");

    private string UnitFile => Path.Combine(_base.Path, "config", "systemd", "user", "kxcollector.service");

    private Dictionary<string, string?> Environment => new()
    {
        ["TMPDIR"] = Tmp,
        ["KX_DEPLOY_DIR"] = Deploy,
        ["XDG_CONFIG_HOME"] = Path.Combine(_base.Path, "config"),
        ["KX_DEMO_BIN_DIR"] = AppContext.BaseDirectory,
        ["OUTPUT_DIR"] = Path.Combine(Deploy, "data"),
        ["DATABASE_URL"] = "postgres://nobody@127.0.0.1:9/none",
    };

    public void Dispose() => _base.Dispose();

    [Fact]
    public async Task A_short_demo_records_ticks_books_trades_lifecycle_and_a_settlement_verifies_them_and_leaves_nothing_behind()
    {
        var before = Snapshot();

        var demo = await Shell.RunAsync(RepositoryRoot.Combine("botctl"), ["demo", "--seconds", "50"], Environment, TimeSpan.FromMinutes(4));

        demo.ExitCode.Should().Be(0, demo.ToString());
        var output = demo.StandardOutput;
        var last = Progress().Matches(output).LastOrDefault();
        last.Should().NotBeNull(output);
        int Count(string name) => int.Parse(last!.Groups[name].Value, CultureInfo.InvariantCulture);
        Count("ticks").Should().BeGreaterThanOrEqualTo(30, output);
        Count("books").Should().BeGreaterThan(0, "BOOK_DEPTH is on and the stream sends books: " + output);
        Count("trades").Should().BeGreaterThan(0, output);
        Count("lifecycle").Should().BeGreaterThan(0, output);
        Count("settlements").Should().BeGreaterThanOrEqualTo(1, output);
        output.Should().MatchRegex(@"KXBTC15M-\S+ active\n").And.MatchRegex(@"KXBTC15M-\S+ (closed|finalized|determined)\n", "a market closed during the demo");
        output.Should().MatchRegex("""\n  \{"type":"settlement","ts":"[^"]+","ticker":"KXBTC15M-""");
        output.Should().Contain("== kxcollector verify").And.Contain("1 file(s) verified: clean");
        output.Should().Contain("status page  http://127.0.0.1:");
        output.Should().Contain("== kxcollector settlements");
        output.Should().MatchRegex(@"measure\s+markets\s+median \|err\|", "the settlements verb ran on the demo's files and printed its summary");

        Snapshot().Should().Equal(before, "the demo writes nothing outside its temp folder, which it removes");
        NoDemoProcessesLeft();
    }

    [Fact]
    public async Task Ctrl_C_stops_the_demo_early_still_verifies_and_cleans_up()
    {
        var before = Snapshot();
        // Ctrl-C in a terminal reaches a botctl whose SIGINT is at its default, however the test runner was started.
        var info = TerminalSigInt.StartInfo(RepositoryRoot.Combine("botctl"));
        info.ArgumentList.Add("demo");
        info.ArgumentList.Add("--seconds");
        info.ArgumentList.Add("600");
        foreach (var (key, value) in Environment)
        {
            info.Environment[key] = value;
        }

        var stdout = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string Text() { lock (stdout) { return stdout.ToString(); } }
        try
        {
            await Poll.UntilAsync(() => Text().Contains("  10 s  ticks", StringComparison.Ordinal) || process.HasExited, TimeSpan.FromSeconds(120), Text);
            process.HasExited.Should().BeFalse(Text());
            (await Shell.RunAsync("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)])).ExitCode.Should().Be(0);

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(exited.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.ExitCode.Should().Be(0, Text());
        Text().Should().Contain("stopping the collector").And.Contain("== kxcollector verify").And.NotContain(" 60 s  ticks");
        Snapshot().Should().Equal(before);
        NoDemoProcessesLeft();
    }

    /// <summary>Every file under the deploy folder, the unit folder and TMPDIR, with its size and modification time.</summary>
    private List<string> Snapshot() =>
        new[] { Deploy, Path.GetDirectoryName(UnitFile)!, Tmp }
            .SelectMany(d => Directory.EnumerateFileSystemEntries(d, "*", SearchOption.AllDirectories))
            .Select(p => new FileInfo(p))
            .Select(f => $"{f.FullName} {(f.Attributes.HasFlag(FileAttributes.Directory) ? -1 : f.Length)} {f.LastWriteTimeUtc.Ticks}")
            .Order(StringComparer.Ordinal)
            .ToList();

    private void NoDemoProcessesLeft()
    {
        // Everything the demo starts names its temp folder (under this test's TMPDIR) on its command line.
        var left = Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    return string.Empty;
                }
                catch (UnauthorizedAccessException)
                {
                    return string.Empty;
                }
            })
            .Where(c => c.Contains(Tmp, StringComparison.Ordinal))
            .ToList();
        left.Should().BeEmpty();
    }

    [GeneratedRegex(@"\d+ s  ticks (?<ticks>\d+), with books (?<books>\d+), trades (?<trades>\d+), lifecycle (?<lifecycle>\d+), settlements (?<settlements>\d+)")]
    private static partial Regex Progress();
}
