using KxCollector.Tests.Support;

namespace KxCollector.Tests.Hosting;

/// <summary>
/// What the running daemon maps, as a process over real sockets: assemblies the recording path never needs stay out,
/// because each one mapped is private memory for the life of the process (issue 15 counts it). The scenario is the
/// benchmark's idle one: the exchange fakes up, Kalshi refusing every connect, so the retry path runs too.
/// </summary>
public sealed class DaemonFootprintTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Recording_with_Kalshi_refusing_maps_no_regex_engine_and_no_PDB_reader()
    {
        using var exchanges = await FakesProcess.StartReadyAsync("exchanges", "--rate", "5");
        var settings = OfflineSettings.For(_dir.Combine("data"),
            ("COINBASE_WS_URL", exchanges.Value("coinbase")),
            ("KRAKEN_WS_URL", exchanges.Value("kraken")),
            ("BITSTAMP_WS_URL", exchanges.Value("bitstamp")));
        using var process = CollectorProcess.Start(_dir.Path, settings);

        // A whole failed poll (every attempt refused) and ticks with all three prices: both paths have run.
        await Poll.UntilAsync(
            () => process.StandardOutput.Contains("Kalshi poll failed", StringComparison.Ordinal) && TickWithThreePrices(),
            TimeSpan.FromSeconds(60),
            "a failed Kalshi poll and a tick with three prices",
            () => process.StandardOutput + process.StandardError);
        process.HasExited.Should().BeFalse(process.StandardError);

        var mapped = File.ReadLines($"/proc/{process.Pid}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[5].EndsWith(".dll", StringComparison.Ordinal))
            .Select(fields => Path.GetFileName(fields[5]))
            .ToHashSet(StringComparer.Ordinal);
        mapped.Should().Contain("kxcollector.dll", "the maps are the daemon's");
        mapped.Should().NotContain("System.Text.RegularExpressions.dll", "names are checked without regexes (NameSyntax, DayFileName)")
            .And.NotContain("System.Reflection.Metadata.dll", "a refused connect builds no stack trace with source lines (PlainTcpConnect)")
            .And.NotContain("System.Collections.Immutable.dll", "nothing on the recording path uses immutable collections");

        process.SendSignal(CollectorProcess.SigTerm);
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
    }

    private bool TickWithThreePrices()
    {
        var data = _dir.Combine("data");
        return Directory.Exists(data) && Directory.EnumerateFiles(data, "kxbtc15m-*.jsonl")
            .SelectMany(File.ReadLines)
            .Any(line => !line.Contains("\"coinbase\":null", StringComparison.Ordinal)
                && !line.Contains("\"kraken\":null", StringComparison.Ordinal)
                && !line.Contains("\"bitstamp\":null", StringComparison.Ordinal)
                && line.StartsWith("{\"type\":\"tick\"", StringComparison.Ordinal));
    }
}
