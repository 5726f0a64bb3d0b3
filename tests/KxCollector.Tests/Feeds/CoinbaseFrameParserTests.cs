using System.Text;
using KxCollector.Feeds;
using KxCollector.Feeds.Coinbase;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Feeds;

public sealed class CoinbaseFrameParserTests
{
    private const string Ticker =
        """{"type":"ticker","sequence":22679094330,"product_id":"BTC-USD","price":"60979.05","best_bid":"60979.04","best_bid_size":"0.5","best_ask":"60979.05","best_ask_size":"0.1","side":"buy","time":"2021-03-13T22:24:56.708861Z","trade_id":144598885,"last_size":"0.0147"}""";

    private static ParsedFrame Parse(string json) => CoinbaseFrameParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_of_each_shared_frame_gives_the_expected_verdict()
    {
        var frames = Fixtures.Frames("coinbase");

        var verdicts = frames.Select(Parse).ToArray();

        verdicts.Should().HaveCount(5);
        verdicts[0].Kind.Should().Be(FrameKind.Subscribed);
        verdicts[1].Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 98811.03m, Ask = 98811.04m });
        verdicts[1].ExchangeTime.Should().Be(new DateTimeOffset(2026, 11, 20, 14, 3, 21, TimeSpan.Zero).AddTicks(9173610));
        verdicts[2].Kind.Should().Be(FrameKind.Heartbeat);
        verdicts[3].Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 98812.49m, Ask = 98812.50m });
        verdicts[4].Kind.Should().Be(FrameKind.Error);
        verdicts[4].Detail.Should().Be("Failed to subscribe: BTC-USDX is not a valid product");
    }

    [Fact]
    public void Parse_of_the_venues_md_ticker_reads_best_bid_best_ask_and_time()
    {
        var frame = Parse(Ticker);

        frame.Kind.Should().Be(FrameKind.Quote);
        frame.Bid.Should().Be(60979.04m);
        frame.Ask.Should().Be(60979.05m);
        frame.ExchangeTime.Should().Be(new DateTimeOffset(2021, 3, 13, 22, 24, 56, TimeSpan.Zero).AddTicks(7088610));
    }

    [Fact]
    public void Parse_ignores_unknown_fields_including_nested_objects_and_arrays()
    {
        var json = Ticker.Replace("\"side\":\"buy\"", "\"side\":\"buy\",\"new_field\":{\"a\":[1,{\"best_bid\":\"1\"}],\"b\":null},\"flags\":[true,false]", StringComparison.Ordinal);

        var frame = Parse(json);

        frame.Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 60979.04m, Ask = 60979.05m });
    }

    [Fact]
    public void Parse_reads_a_ticker_whose_type_comes_last()
    {
        var frame = Parse("""{"best_ask":"101.5","time":"2026-11-20T14:03:21.9Z","best_bid":"100.25","product_id":"BTC-USD","type":"ticker"}""");

        frame.Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 100.25m, Ask = 101.5m });
        frame.ExchangeTime.Should().Be(new DateTimeOffset(2026, 11, 20, 14, 3, 21, 900, TimeSpan.Zero));
    }

    [Fact]
    public void Parse_accepts_prices_sent_as_json_numbers()
    {
        var frame = Parse("""{"type":"ticker","product_id":"BTC-USD","best_bid":60979.04,"best_ask":60979.05}""");

        frame.Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 60979.04m, Ask = 60979.05m, ExchangeTime = (DateTimeOffset?)null });
    }

    [Fact]
    public void Parse_of_a_ticker_for_another_product_is_ignored()
    {
        Parse(Ticker.Replace("BTC-USD", "ETH-USD", StringComparison.Ordinal)).Kind.Should().Be(FrameKind.Ignored);
    }

    [Theory]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","best_bid":true,"best_ask":"1"}""")]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","best_bid":null,"best_ask":"1"}""")]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","best_bid":"abc","best_ask":"1"}""")]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","best_bid":"1,000.5","best_ask":"1"}""")]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","best_bid":{"p":"1"},"best_ask":"1"}""")]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","best_bid":"","best_ask":"1"}""")]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","best_ask":"1"}""")]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","best_bid":"1","best_ask":"2","time":12345}""")]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","best_bid":"1","best_ask":"2","time":"yesterday"}""")]
    [InlineData("""{"type":"ticker","product_id":7,"best_bid":"1","best_ask":"2"}""")]
    [InlineData("""{"type":42,"best_bid":"1","best_ask":"2"}""")]
    public void Parse_of_a_ticker_with_a_wrong_type_or_missing_price_is_malformed(string json)
    {
        Parse(json).Kind.Should().Be(FrameKind.Malformed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("\"ticker\"")]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","best_bid":"60979.04","best_ask":"609""")]
    [InlineData("""{"type":"ticker","best_bid":"1","best_ask":"2"}{"type":"heartbeat"}""")]
    [InlineData("""{"type":"ticker","best_bid":"1","best_ask":"2",}""")]
    [InlineData("\u0000\u0001\u00ff")]
    public void Parse_of_garbage_or_truncated_json_is_malformed(string text)
    {
        Parse(text).Kind.Should().Be(FrameKind.Malformed);
    }

    [Fact]
    public void Parse_passes_a_crossed_quote_through_for_the_feed_to_reject()
    {
        var frame = Parse("""{"type":"ticker","product_id":"BTC-USD","best_bid":"101","best_ask":"100"}""");

        frame.Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 101m, Ask = 100m });
    }

    [Theory]
    [InlineData("""{"type":"snapshot","product_id":"BTC-USD","bids":[["1","2"]],"asks":[["3","4"]]}""")]
    [InlineData("""{"type":"l2update","product_id":"BTC-USD","changes":[["buy","30862.60","0.00000000"]]}""")]
    [InlineData("""{"type":"status","products":[]}""")]
    [InlineData("""{"product_id":"BTC-USD"}""")]
    [InlineData("{}")]
    public void Parse_ignores_other_message_types(string json)
    {
        Parse(json).Kind.Should().Be(FrameKind.Ignored);
    }

    [Fact]
    public void Parse_reads_escaped_strings()
    {
        var frame = Parse("""{"type":"\u0074icker","product_id":"BTC\u002dUSD","best_bid":"\u0031\u0030\u0030","best_ask":"101"}""");

        frame.Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 100m, Ask = 101m });
    }

    [Fact]
    public void Parse_of_an_error_without_a_reason_gives_its_message()
    {
        var frame = Parse("""{"message":"Slow consumer","type":"error"}""");

        frame.Kind.Should().Be(FrameKind.Error);
        frame.Detail.Should().Be("Slow consumer");
    }

    [Fact]
    public void Parse_of_a_ticker_or_heartbeat_allocates_nothing()
    {
        var ticker = Encoding.UTF8.GetBytes(Fixtures.Frames("coinbase")[1]);
        var heartbeat = Encoding.UTF8.GetBytes(Fixtures.Frames("coinbase")[2]);

        ParserTestSupport.AllocatedBytesPerParse(CoinbaseFrameParser.Parse, ticker).Should().Be(0);
        ParserTestSupport.AllocatedBytesPerParse(CoinbaseFrameParser.Parse, heartbeat).Should().Be(0);
    }
}
