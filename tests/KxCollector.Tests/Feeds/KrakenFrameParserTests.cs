using System.Text;
using KxCollector.Feeds;
using KxCollector.Feeds.Kraken;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Feeds;

public sealed class KrakenFrameParserTests
{
    private static ParsedFrame Parse(string json) => KrakenFrameParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_of_each_shared_frame_gives_the_expected_verdict()
    {
        var verdicts = Fixtures.Frames("kraken").Select(Parse).ToArray();

        verdicts.Should().HaveCount(7);
        verdicts[0].Kind.Should().Be(FrameKind.Ignored, "status");
        verdicts[1].Kind.Should().Be(FrameKind.Subscribed);
        verdicts[2].Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 98809.9m, Ask = 98810.0m, ExchangeTime = (DateTimeOffset?)null });
        verdicts[3].Kind.Should().Be(FrameKind.Heartbeat);
        verdicts[4].Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 98811.2m, Ask = 98811.3m });
        verdicts[5].Kind.Should().Be(FrameKind.Heartbeat, "pong");
        verdicts[6].Kind.Should().Be(FrameKind.Error);
        verdicts[6].Detail.Should().Be("Currency pair not supported");
    }

    [Fact]
    public void Parse_reads_a_ticker_whose_data_comes_before_channel_and_type()
    {
        var frame = Parse("""{"data":[{"ask":100.5,"bid":100.25,"symbol":"BTC/USD"}],"type":"update","channel":"ticker"}""");

        frame.Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 100.25m, Ask = 100.5m });
    }

    [Fact]
    public void Parse_ignores_unknown_fields_at_every_level()
    {
        var frame = Parse("""{"channel":"ticker","type":"update","seq":7,"meta":{"x":[1,2]},"data":[{"symbol":"BTC/USD","bid":98811.2,"extra":{"bid":1},"ask":98811.3,"new":[null]}],"timestamp":"2026-11-20T14:03:25Z"}""");

        frame.Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 98811.2m, Ask = 98811.3m });
    }

    [Fact]
    public void Parse_accepts_prices_sent_as_strings()
    {
        var frame = Parse("""{"channel":"ticker","type":"snapshot","data":[{"symbol":"BTC/USD","bid":"98809.9","ask":"98810.0"}]}""");

        frame.Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 98809.9m, Ask = 98810.0m });
    }

    [Fact]
    public void Parse_reads_exponent_numbers_exactly()
    {
        Parse("""{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":9.88112E4,"ask":98811.3}]}""")
            .Bid.Should().Be(98811.2m);
    }

    [Fact]
    public void Parse_takes_the_btc_usd_entry_and_skips_other_symbols()
    {
        var frame = Parse("""{"channel":"ticker","type":"update","data":[{"symbol":"ETH/USD","bid":3000,"ask":3001},{"symbol":"BTC/USD","bid":100,"ask":101},{"symbol":"SOL/USD","bid":"x"}]}""");

        frame.Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 100m, Ask = 101m });
    }

    [Fact]
    public void Parse_of_a_ticker_for_another_symbol_only_is_ignored()
    {
        Parse("""{"channel":"ticker","type":"update","data":[{"symbol":"ETH/USD","bid":3000,"ask":3001}]}""").Kind.Should().Be(FrameKind.Ignored);
    }

    [Theory]
    [InlineData("""{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":true,"ask":1}]}""")]
    [InlineData("""{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":null,"ask":1}]}""")]
    [InlineData("""{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":"n/a","ask":1}]}""")]
    [InlineData("""{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":[1],"ask":1}]}""")]
    [InlineData("""{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","ask":1}]}""")]
    [InlineData("""{"channel":"ticker","type":"update","data":{"symbol":"BTC/USD","bid":1,"ask":2}}""")]
    [InlineData("""{"channel":"ticker","type":"update","data":["BTC/USD",1,2]}""")]
    [InlineData("""{"channel":3,"type":"update","data":[]}""")]
    [InlineData("""{"method":"subscribe","success":"yes"}""")]
    [InlineData("""{"method":1}""")]
    public void Parse_of_a_frame_with_a_wrong_type_or_missing_price_is_malformed(string json)
    {
        Parse(json).Kind.Should().Be(FrameKind.Malformed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("garbage")]
    [InlineData("[]")]
    [InlineData("""{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":98811.2,"ask":98811""")]
    [InlineData("""{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":98811.2,"ask":98811.3}]""")]
    [InlineData("""{"channel":"heartbeat"} trailing""")]
    public void Parse_of_garbage_or_truncated_json_is_malformed(string text)
    {
        Parse(text).Kind.Should().Be(FrameKind.Malformed);
    }

    [Fact]
    public void Parse_passes_a_crossed_quote_through_for_the_feed_to_reject()
    {
        Parse("""{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":101,"ask":100}]}""")
            .Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 101m, Ask = 100m });
    }

    [Theory]
    [InlineData("""{"channel":"status","type":"update","data":[{"system":"maintenance"}]}""")]
    [InlineData("""{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":1}]}""")]
    [InlineData("""{"channel":"ticker","type":"other","data":[{"symbol":"BTC/USD","bid":1,"ask":2}]}""")]
    [InlineData("""{"method":"unsubscribe","success":true,"req_id":3}""")]
    [InlineData("{}")]
    public void Parse_ignores_other_channels_and_methods(string json)
    {
        Parse(json).Kind.Should().Be(FrameKind.Ignored);
    }

    [Fact]
    public void Parse_of_a_failed_request_without_error_text_is_still_an_error()
    {
        var frame = Parse("""{"method":"subscribe","success":false,"req_id":1}""");

        frame.Kind.Should().Be(FrameKind.Error);
        frame.Detail.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void Parse_of_a_ticker_or_heartbeat_allocates_nothing()
    {
        var ticker = Encoding.UTF8.GetBytes(Fixtures.Frames("kraken")[4]);
        var heartbeat = Encoding.UTF8.GetBytes(Fixtures.Frames("kraken")[3]);

        ParserTestSupport.AllocatedBytesPerParse(KrakenFrameParser.Parse, ticker).Should().Be(0);
        ParserTestSupport.AllocatedBytesPerParse(KrakenFrameParser.Parse, heartbeat).Should().Be(0);
    }
}
