using System.Text;
using BenchmarkDotNet.Attributes;
using KxCollector.Store.Records;

namespace KxCollector.Benchmarks.Store;

/// <summary>The store's per-line cost: parsing one tick line (4 markets with books) into rows.</summary>
[MemoryDiagnoser]
public class RecordParserBenchmarks
{
    private readonly RecordParser _parser = new();
    private readonly StoreBatch _batch = new();
    private byte[] _tick = [];

    [GlobalSetup]
    public void Setup() => _tick = Encoding.UTF8.GetBytes(SyntheticJsonl.TickLine(new DateTime(2026, 11, 21, 17, 0, 5, 1, DateTimeKind.Utc), markets: 4, withBooks: true));

    [Benchmark]
    public int ParseTick()
    {
        _batch.Clear();
        _parser.Parse(_tick, "KXBTC15M", _batch);
        return _batch.RowCount;
    }
}
