using System.Text;
using KxCollector.Feeds;
using KxCollector.Feeds.Bitstamp;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Feeds;

public sealed class BitstampFrameParserTests
{
    private static ParsedFrame Parse(string json) => BitstampFrameParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_of_each_shared_frame_gives_the_expected_verdict()
    {
        var verdicts = Fixtures.Frames("bitstamp").Select(Parse).ToArray();

        verdicts.Should().HaveCount(6);
        verdicts[0].Kind.Should().Be(FrameKind.Subscribed);
        verdicts[1].Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 98805m, Ask = 98812m });
        verdicts[1].ExchangeTime.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1763647401917).AddTicks(3610));
        verdicts[2].Kind.Should().Be(FrameKind.Heartbeat);
        verdicts[3].Kind.Should().Be(FrameKind.Ignored, "a live trade is not the order book");
        verdicts[4].Kind.Should().Be(FrameKind.ReconnectRequested);
        verdicts[5].Kind.Should().Be(FrameKind.Error);
        verdicts[5].Detail.Should().Be("Incorrect JSON format.");
    }

    [Fact]
    public void Parse_reads_the_venues_md_book_with_event_first()
    {
        var frame = Parse("""{"event":"data","channel":"order_book_btcusd","data":{"timestamp":"1700000000","microtimestamp":"1700000000123456","bids":[["60979.00","0.5"],["60978.00","1"]],"asks":[["60980.50","0.2"]]}}""");

        frame.Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 60979.00m, Ask = 60980.50m });
        frame.ExchangeTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(1234560));
    }

    [Fact]
    public void Parse_ignores_unknown_fields_at_every_level()
    {
        var frame = Parse("""{"event":"data","x":{"bids":[["1","1"]]},"channel":"order_book_btcusd","data":{"new":[1,[2]],"bids":[["100","1","id-9"]],"asks":[["101","1",{"o":1}]],"microtimestamp":"1700000000000000","more":null}}""");

        frame.Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 100m, Ask = 101m });
    }

    [Fact]
    public void Parse_accepts_levels_sent_as_json_numbers()
    {
        var frame = Parse("""{"event":"data","channel":"order_book_btcusd","data":{"microtimestamp":1700000000000001,"bids":[[98805,0.15]],"asks":[[98812.5,0.07]]}}""");

        frame.Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 98805m, Ask = 98812.5m });
        frame.ExchangeTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(10));
    }

    [Fact]
    public void Parse_falls_back_to_whole_seconds_when_microtimestamp_is_missing()
    {
        Parse("""{"event":"data","channel":"order_book_btcusd","data":{"timestamp":"1700000000","bids":[["1","1"]],"asks":[["2","1"]]}}""")
            .ExchangeTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1700000000));
    }

    [Fact]
    public void Parse_of_a_one_sided_book_is_ignored()
    {
        Parse("""{"event":"data","channel":"order_book_btcusd","data":{"bids":[],"asks":[["2","1"]]}}""").Kind.Should().Be(FrameKind.Ignored);
        Parse("""{"event":"data","channel":"order_book_btcusd","data":{"bids":[["1","1"]],"asks":[]}}""").Kind.Should().Be(FrameKind.Ignored);
    }

    [Fact]
    public void Parse_of_another_channels_data_is_ignored()
    {
        Parse("""{"event":"data","channel":"order_book_ethusd","data":{"bids":[["1","1"]],"asks":[["2","1"]]}}""").Kind.Should().Be(FrameKind.Ignored);
    }

    [Theory]
    [InlineData("""{"event":"data","channel":"order_book_btcusd","data":{"bids":[[true,"1"]],"asks":[["2","1"]]}}""")]
    [InlineData("""{"event":"data","channel":"order_book_btcusd","data":{"bids":[[null,"1"]],"asks":[["2","1"]]}}""")]
    [InlineData("""{"event":"data","channel":"order_book_btcusd","data":{"bids":[["x","1"]],"asks":[["2","1"]]}}""")]
    [InlineData("""{"event":"data","channel":"order_book_btcusd","data":{"bids":[[]],"asks":[["2","1"]]}}""")]
    [InlineData("""{"event":"data","channel":"order_book_btcusd","data":{"bids":["1"],"asks":[["2","1"]]}}""")]
    [InlineData("""{"event":"data","channel":"order_book_btcusd","data":{"bids":{"1":"1"},"asks":[["2","1"]]}}""")]
    [InlineData("""{"event":"data","channel":"order_book_btcusd","data":{"bids":[[["1"],"1"]],"asks":[["2","1"]]}}""")]
    [InlineData("""{"event":"data","channel":"order_book_btcusd","data":{"bids":[["1","1"]],"asks":[["2","1"]],"microtimestamp":"soon"}}""")]
    [InlineData("""{"event":"data","channel":"order_book_btcusd","data":{"bids":[["1","1"]],"asks":[["2","1"]],"microtimestamp":"-5"}}""")]
    [InlineData("""{"event":"data","channel":"order_book_btcusd","data":"book"}""")]
    [InlineData("""{"event":"data","channel":false,"data":{}}""")]
    [InlineData("""{"event":["data"],"channel":"order_book_btcusd","data":{}}""")]
    public void Parse_of_a_book_with_a_wrong_type_is_malformed(string json)
    {
        Parse(json).Kind.Should().Be(FrameKind.Malformed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("}{")]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("""{"data":{"microtimestamp":"1763647401917361","bids":[["98805","0.15180000"]],"asks":[["98812","0.0""")]
    [InlineData("""{"event":"data","channel":"order_book_btcusd","data":{"bids":[["1","1"]],"asks":[["2","1"]]}""")]
    [InlineData("""{"event":"data","channel":"order_book_btcusd","data":{"bids":[["1","1"]],"asks":[["2","1"],]}}""")]
    public void Parse_of_garbage_or_truncated_json_is_malformed(string text)
    {
        Parse(text).Kind.Should().Be(FrameKind.Malformed);
    }

    [Fact]
    public void Parse_passes_a_crossed_book_through_for_the_feed_to_reject()
    {
        Parse("""{"event":"data","channel":"order_book_btcusd","data":{"bids":[["102","1"]],"asks":[["101","1"]]}}""")
            .Should().BeEquivalentTo(new { Kind = FrameKind.Quote, Bid = 102m, Ask = 101m });
    }

    [Theory]
    [InlineData("""{"event":"bts:unsubscription_succeeded","channel":"order_book_btcusd","data":{}}""")]
    [InlineData("""{"event":"trade","channel":"live_trades_btcusd","data":{"price":"x"}}""")]
    [InlineData("""{"channel":"order_book_btcusd"}""")]
    [InlineData("{}")]
    public void Parse_ignores_other_events(string json)
    {
        Parse(json).Kind.Should().Be(FrameKind.Ignored);
    }

    [Fact]
    public void Parse_of_an_error_without_message_is_still_an_error()
    {
        var frame = Parse("""{"event":"bts:error","channel":"","data":{"code":null}}""");

        frame.Kind.Should().Be(FrameKind.Error);
        frame.Detail.Should().Be("bts:error");
    }

    [Fact]
    public void Parse_of_a_book_or_heartbeat_allocates_nothing()
    {
        var book = Encoding.UTF8.GetBytes(Fixtures.Frames("bitstamp")[1]);
        var heartbeat = Encoding.UTF8.GetBytes(Fixtures.Frames("bitstamp")[2]);

        ParserTestSupport.AllocatedBytesPerParse(BitstampFrameParser.Parse, book).Should().Be(0);
        ParserTestSupport.AllocatedBytesPerParse(BitstampFrameParser.Parse, heartbeat).Should().Be(0);
    }
}
