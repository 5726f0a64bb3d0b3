using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using KxCollector.Feeds;
using KxCollector.Feeds.Bitstamp;
using KxCollector.Feeds.Coinbase;
using KxCollector.Feeds.Kraken;

namespace KxCollector.Benchmarks;

/// <summary>
/// One venue message through its parser, as the receive loop calls it: ns per frame and bytes allocated (the goal is
/// zero). The frames are copied from tests/fixtures/frames (docs/venues.md shapes) so the bench needs no folder; the
/// 100-level Bitstamp book is built from the fixture's levels because that is what order_book_btcusd really sends.
/// </summary>
[MemoryDiagnoser]
public class FrameParserBenchmarks
{
    // coinbase.jsonl line 2
    private static readonly byte[] CoinbaseTicker =
        """{"type":"ticker","sequence":112934482151,"product_id":"BTC-USD","price":"98811.04","open_24h":"97020.01","volume_24h":"9981.41293842","low_24h":"96510.00","high_24h":"99230.55","volume_30d":"287019.99120431","best_bid":"98811.03","best_bid_size":"0.00433510","best_ask":"98811.04","best_ask_size":"0.31245000","side":"buy","time":"2026-11-20T14:03:21.917361Z","trade_id":812239402,"last_size":"0.00041"}"""u8.ToArray();

    // coinbase.jsonl line 3
    private static readonly byte[] CoinbaseHeartbeat =
        """{"type":"heartbeat","last_trade_id":812239402,"product_id":"BTC-USD","sequence":112934482160,"time":"2026-11-20T14:03:22.000118Z"}"""u8.ToArray();

    // kraken.jsonl line 5
    private static readonly byte[] KrakenTicker =
        """{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":98811.2,"bid_qty":0.5,"ask":98811.3,"ask_qty":0.31,"last":98810.0,"volume":1583.83121722,"vwap":97911.3,"low":96490.1,"high":99215.0,"change":1785.6,"change_pct":1.84}]}"""u8.ToArray();

    // kraken.jsonl line 4
    private static readonly byte[] KrakenHeartbeat = """{"channel":"heartbeat"}"""u8.ToArray();

    // bitstamp.jsonl line 2
    private static readonly byte[] BitstampBook =
        """{"data":{"timestamp":"1763647401","microtimestamp":"1763647401917361","bids":[["98805","0.15180000"],["98804","0.50600000"],["98801","0.03000000"]],"asks":[["98812","0.07566000"],["98813","0.25300000"],["98816","1.01200000"]]},"channel":"order_book_btcusd","event":"data"}"""u8.ToArray();

    // bitstamp.jsonl line 3
    private static readonly byte[] BitstampHeartbeat = """{"event":"bts:heartbeat","channel":"","data":{"status":"success"}}"""u8.ToArray();

    private static readonly byte[] BitstampBook100 = BuildBook(levels: 100);

    /// <summary>A bench of a parser that rejects its frame would time the wrong path: check each verdict first.</summary>
    [GlobalSetup]
    public void CheckVerdicts()
    {
        Expect(Coinbase_ticker(), FrameKind.Quote, nameof(CoinbaseTicker));
        Expect(Coinbase_heartbeat(), FrameKind.Heartbeat, nameof(CoinbaseHeartbeat));
        Expect(Kraken_ticker(), FrameKind.Quote, nameof(KrakenTicker));
        Expect(Kraken_heartbeat(), FrameKind.Heartbeat, nameof(KrakenHeartbeat));
        Expect(Bitstamp_book_3_levels(), FrameKind.Quote, nameof(BitstampBook));
        Expect(Bitstamp_book_100_levels(), FrameKind.Quote, nameof(BitstampBook100));
        Expect(Bitstamp_heartbeat(), FrameKind.Heartbeat, nameof(BitstampHeartbeat));
    }

    [Benchmark]
    public int Coinbase_ticker() => (int)CoinbaseFrameParser.Parse(CoinbaseTicker).Kind;

    [Benchmark]
    public int Coinbase_heartbeat() => (int)CoinbaseFrameParser.Parse(CoinbaseHeartbeat).Kind;

    [Benchmark]
    public int Kraken_ticker() => (int)KrakenFrameParser.Parse(KrakenTicker).Kind;

    [Benchmark]
    public int Kraken_heartbeat() => (int)KrakenFrameParser.Parse(KrakenHeartbeat).Kind;

    [Benchmark]
    public int Bitstamp_book_3_levels() => (int)BitstampFrameParser.Parse(BitstampBook).Kind;

    [Benchmark]
    public int Bitstamp_book_100_levels() => (int)BitstampFrameParser.Parse(BitstampBook100).Kind;

    [Benchmark]
    public int Bitstamp_heartbeat() => (int)BitstampFrameParser.Parse(BitstampHeartbeat).Kind;

    private static void Expect(int actual, FrameKind expected, string frame)
    {
        if (actual != (int)expected)
        {
            throw new InvalidOperationException($"{frame} parsed as {(FrameKind)actual}, expected {expected}");
        }
    }

    /// <summary>The fixture's book shape with <paramref name="levels"/> price levels a side, ~6 KB at 100 like the real channel.</summary>
    private static byte[] BuildBook(int levels)
    {
        var text = new StringBuilder("""{"data":{"timestamp":"1763647401","microtimestamp":"1763647401917361","bids":[""");
        for (var i = 0; i < levels; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"""{(i == 0 ? "" : ",")}["{98805 - i}","0.15180000"]""");
        }

        text.Append("""],"asks":[""");
        for (var i = 0; i < levels; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"""{(i == 0 ? "" : ",")}["{98812 + i}","0.07566000"]""");
        }

        text.Append("""]},"channel":"order_book_btcusd","event":"data"}""");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
