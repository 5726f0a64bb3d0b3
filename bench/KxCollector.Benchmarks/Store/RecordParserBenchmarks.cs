using System.Text;
using BenchmarkDotNet.Attributes;
using KxCollector.Records;
using KxCollector.Store.Records;

namespace KxCollector.Benchmarks.Store;

/// <summary>
/// The store's per-line cost (the hot path of `db import` and the live store): a realistic stretch of a day file, one
/// tick a second with 10 markets and their books and a trade every 5 s, parsed into rows (New, the baseline); TypedRecords
/// reads the same lines with the record types' own (JsonElement) readers, for the cost of parsing through them instead.
/// The comparison with the parser before it took its keys from the record types is in docs/BENCHMARKS.md (run with a
/// frozen copy of it at commit 8e4cdc5, removed afterwards).
/// Figures are per line (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class RecordParserBenchmarks
{
    private const int Seconds = 600;
    private const int Lines = Seconds + (Seconds / 5);

    private readonly RecordParser _parser = new();
    private readonly StoreBatch _batch = new();
    private byte[][] _lines = [];

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTime(2026, 11, 21, 17, 0, 0, 1, DateTimeKind.Utc);
        var lines = new List<byte[]>(Lines);
        for (var i = 0; i < Seconds; i++)
        {
            var ts = start.AddSeconds(i);
            lines.Add(Encoding.UTF8.GetBytes(SyntheticJsonl.TickLine(ts, markets: 10, withBooks: true, seed: i)));
            if (i % 5 == 0)
            {
                lines.Add(Encoding.UTF8.GetBytes(SyntheticJsonl.TradeLine(ts.AddMilliseconds(300), "KXBTC15M-26NOV211715-3", i)));
            }
        }

        _lines = [.. lines];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lines)]
    public int New()
    {
        _batch.Clear();
        foreach (var line in _lines)
        {
            _parser.Parse(line, "KXBTC15M", _batch);
        }

        return _batch.RowCount;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int TypedRecords()
    {
        var n = 0;
        foreach (var line in _lines)
        {
            n += line.AsSpan().StartsWith(TickRecord.LinePrefix) ? TickRecord.Read(line).Markets.Count : TradeRecord.Read(line).Ticker.Length;
        }

        return n;
    }
}
