using BenchmarkDotNet.Attributes;
using KxCollector.Kalshi.Stream;

namespace KxCollector.Benchmarks;

/// <summary>
/// One Kalshi WebSocket frame through the typed parser: ns per frame and bytes allocated. Frames are
/// tests/fixtures/frames/kalshi-ws.jsonl lines 3-5, 7. The comparison with the parser it replaced is in
/// docs/BENCHMARKS.md (run with that parser's frozen copy at commit 8e4cdc5, removed afterwards).
/// </summary>
[MemoryDiagnoser]
public class KalshiFrameParserBenchmarks
{
    private static readonly byte[] Delta =
        """{"type":"orderbook_delta","sid":2,"seq":2,"msg":{"market_ticker":"KXBTC15M-26JUL222315-15","market_id":"9b0f6b43-5b68-4f9f-b4a5-0b9b4e3d1c11","price_dollars":"0.0560","delta_fp":"-480.00","side":"yes","ts_ms":1784776501917}}"""u8.ToArray();

    private static readonly byte[] Ticker =
        """{"type":"ticker","sid":1,"msg":{"market_ticker":"KXBTC15M-26JUL222315-15","market_id":"9b0f6b43-5b68-4f9f-b4a5-0b9b4e3d1c11","price_dollars":"0.0560","yes_bid_dollars":"0.0560","yes_ask_dollars":"0.0570","yes_bid_size_fp":"4000.00","yes_ask_size_fp":"22.00","last_trade_size_fp":"5.00","volume_fp":"1552146.80","open_interest_fp":"480556.08","dollar_volume":86920,"dollar_open_interest":26911,"ts_ms":1784776502001}}"""u8.ToArray();

    private static readonly byte[] Trade =
        """{"type":"trade","sid":3,"seq":1,"msg":{"trade_id":"d91bc706-ee49-470d-82d8-11418bda6fed","market_ticker":"KXBTC15M-26JUL222315-15","yes_price_dollars":"0.0560","no_price_dollars":"0.9440","count_fp":"5.00","taker_side":"no","taker_outcome_side":"no","taker_book_side":"ask","is_block_trade":false,"ts_ms":1784776502001}}"""u8.ToArray();

    private static readonly byte[] Snapshot =
        """{"type":"orderbook_snapshot","sid":2,"seq":1,"msg":{"market_ticker":"KXBTC15M-26JUL222315-15","market_id":"9b0f6b43-5b68-4f9f-b4a5-0b9b4e3d1c11","yes_dollars_fp":[["0.0100","2500.00"],["0.0500","120.00"],["0.0560","4480.00"]],"no_dollars_fp":[["0.9300","800.00"],["0.9430","22.00"]]}}"""u8.ToArray();

    /// <summary>A bench of a parser that refuses its frame would time the wrong path: check each verdict first.</summary>
    [GlobalSetup]
    public void CheckVerdicts()
    {
        foreach (var frame in new[] { Delta, Ticker, Trade, Snapshot })
        {
            if (!KalshiFrameParser.TryParse(frame, out var parsed, out var error) || parsed is UnknownFrame)
            {
                throw new InvalidOperationException($"a benchmark frame did not parse: {error}");
            }
        }
    }

    [Benchmark]
    public object? Typed_delta() => KalshiFrameParser.TryParse(Delta, out var frame, out _) ? frame : null;

    [Benchmark]
    public object? Typed_ticker() => KalshiFrameParser.TryParse(Ticker, out var frame, out _) ? frame : null;

    [Benchmark]
    public object? Typed_trade() => KalshiFrameParser.TryParse(Trade, out var frame, out _) ? frame : null;

    [Benchmark]
    public object? Typed_snapshot() => KalshiFrameParser.TryParse(Snapshot, out var frame, out _) ? frame : null;
}
