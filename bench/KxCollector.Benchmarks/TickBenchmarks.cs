using BenchmarkDotNet.Attributes;
using KxCollector.Pricing;
using KxCollector.Recording;

namespace KxCollector.Benchmarks;

/// <summary>The once-a-second path: sample the board, compute the proxy, serialise the tick line.</summary>
[MemoryDiagnoser]
public class TickBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 17, 0, 5, 1, TimeSpan.Zero);
    private readonly PriceBoard _board = new();
    private readonly TickFormatter _formatter = new();
    private readonly NoMarkets _markets = new();
    private BrtiProxy _proxy = null!;
    private ExchangeQuote _quote;

    [GlobalSetup]
    public void Setup()
    {
        ExchangeQuote.TryCreate(98811.03m, 98811.04m, Now, Now, out var quote);
        _quote = quote;
        foreach (var exchange in ExchangeNames.All)
        {
            _board.Publish(exchange, _quote);
        }

        _proxy = new BrtiProxy(_board, TimeSpan.FromSeconds(5));
    }

    [Benchmark]
    public void BoardPublish() => _board.Publish(Exchange.Kraken, _quote);

    [Benchmark]
    public decimal BoardRead() => _board.Read(Exchange.Kraken)!.Value.Mid;

    [Benchmark]
    public decimal? ProxySample() => _proxy.Sample(Now).Brti;

    [Benchmark]
    public int FormatTick() => _formatter.Format(Now, _proxy.Sample(Now), _markets).Length;
}
