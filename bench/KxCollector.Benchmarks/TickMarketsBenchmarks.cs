using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Stream;

namespace KxCollector.Benchmarks;

/// <summary>
/// A tick's whole "markets" array as the scale scenario writes it (issue 15: 1,000 markets, BOOK_DEPTH=5): every
/// market from the poll, overlaid with a stream quote and a valid book of ten levels a side, through the real
/// <see cref="MarketBoard"/>. The per-tick cost of a series is what a tick of another series due at the same
/// instant may wait behind.
/// </summary>
[MemoryDiagnoser]
public class TickMarketsBenchmarks
{
    private const int Markets = 1000;
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 7, 0, 5, 1, TimeSpan.Zero);
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private Utf8JsonWriter _writer = null!;
    private MarketBoard _board = null!;

    [GlobalSetup]
    public void Setup()
    {
        var stream = new StreamBoard();
        var entries = new List<TickMarketEntry>(Markets);
        for (var i = 0; i < Markets; i++)
        {
            var ticker = $"KXSCALE{i % 3:00}-26DEC31-M{i:0000}";
            var market = new KalshiMarket
            {
                Ticker = ticker,
                Status = "active",
                CloseTime = Now.AddDays(30),
                YesBid = 0.41m,
                YesAsk = 0.43m,
                LastPrice = 0.42m,
                Volume = 1234,
                OpenInterest = 567,
            };
            entries.Add(new TickMarketEntry(market, Now.AddSeconds(-3)));
            var quote = new StreamQuote(41m + (i % 7), 43m + (i % 7), 42m, 1234m + i, 567m, Now.AddMilliseconds(-250));
            var streamMarket = stream.GetOrAdd(ticker);
            streamMarket.SetQuote(quote);
            var yes = Enumerable.Range(0, 10).Select(l => new BookLevel(0.41m - (l * 0.01m), 100m + l)).ToList();
            var no = Enumerable.Range(0, 10).Select(l => new BookLevel(0.55m - (l * 0.01m), 50m + (l * 3))).ToList();
            streamMarket.Book.ApplySnapshot(yes, no);
        }

        _board = new MarketBoard(stream, bookDepth: 5);
        _board.Publish(entries);
        _writer = new Utf8JsonWriter(_buffer);
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    /// <summary>All 1,000 entries; divide by 1,000 for one market's share of a tick.</summary>
    [Benchmark]
    public int WriteMarkets()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartArray();
        _board.WriteMarkets(_writer, Now);
        _writer.WriteEndArray();
        _writer.Flush();
        return _buffer.WrittenCount;
    }
}
