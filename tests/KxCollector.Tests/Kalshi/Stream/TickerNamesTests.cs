using System.Text;
using System.Text.Json;
using KxCollector.Kalshi.Stream;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Kalshi.Stream;

public sealed class TickerNamesTests
{
    private static readonly IReadOnlyList<string> Fixture = Fixtures.Frames("kalshi-ws");

    [Fact]
    public void A_ticker_read_again_is_the_same_string_and_costs_nothing()
    {
        var names = new TickerNames();
        var json = Encoding.UTF8.GetBytes("\"KXBTC15M-26JUL222315-15\"");
        var first = Get(names, json);
        for (var i = 0; i < 10; i++)
        {
            Get(names, json); // first calls: JIT
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = Get(names, json);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        first.Should().Be("KXBTC15M-26JUL222315-15");
        again.Should().BeSameAs(first);
        allocated.Should().Be(0);
        Get(names, Encoding.UTF8.GetBytes("\"KXBTC15M-26JUL222330-30\"")).Should().Be("KXBTC15M-26JUL222330-30");
        names.Count.Should().Be(2);
    }

    [Fact]
    public void Escaped_and_non_ascii_tickers_read_as_their_text()
    {
        var names = new TickerNames();

        Get(names, Encoding.UTF8.GetBytes("\"KX\\u0042TC15M\"")).Should().Be("KXBTC15M");
        Get(names, Encoding.UTF8.GetBytes("\"KXÉTÉ-26\"")).Should().Be("KXÉTÉ-26");
        Get(names, Encoding.UTF8.GetBytes("\"KXÉTÉ-26\"")).Should().BeSameAs(Get(names, Encoding.UTF8.GetBytes("\"KXÉTÉ-26\"")));
        var longTicker = new string('K', 300);
        Get(names, Encoding.UTF8.GetBytes($"\"{longTicker}\"")).Should().Be(longTicker, "a value too long for the stack buffer is decoded the ordinary way");
    }

    [Fact]
    public void Invalid_utf8_fails_as_it_does_for_every_other_string()
    {
        var names = new TickerNames();
        byte[] json = [(byte)'"', (byte)'K', 0xC3, (byte)'"'];

        var act = () => Get(names, json);

        act.Should().Throw<InvalidOperationException>();
        names.Count.Should().Be(0);
    }

    [Fact]
    public void Past_its_capacity_it_starts_again_rather_than_growing()
    {
        var names = new TickerNames();
        for (var i = 0; i < TickerNames.Capacity; i++)
        {
            Get(names, Encoding.UTF8.GetBytes($"\"M-{i}\""));
        }

        names.Count.Should().Be(TickerNames.Capacity);
        Get(names, Encoding.UTF8.GetBytes("\"NEW\"")).Should().Be("NEW");
        names.Count.Should().Be(1);
        Get(names, Encoding.UTF8.GetBytes("\"M-7\"")).Should().Be("M-7");
    }

    [Fact]
    public void Frames_parsed_with_the_names_share_their_ticker_and_side_strings()
    {
        var names = new TickerNames();
        var trade = Encoding.UTF8.GetBytes(Fixture.Single(line => line.Contains("\"type\":\"trade\"", StringComparison.Ordinal)));
        var delta = Encoding.UTF8.GetBytes(Fixture.First(line => line.Contains("\"type\":\"orderbook_delta\"", StringComparison.Ordinal)));

        var first = ParseWith<TradeFrame>(names, trade);
        var second = ParseWith<TradeFrame>(names, trade);
        var book = ParseWith<OrderbookDeltaFrame>(names, delta);

        second.MarketTicker.Should().Be("KXBTC15M-26JUL222315-15").And.BeSameAs(first.MarketTicker);
        book.MarketTicker.Should().BeSameAs(first.MarketTicker);
        (second.TakerSide, second.TakerOutcomeSide, second.TakerBookSide).Should().Be(("no", "no", "ask"));
        second.TakerSide.Should().BeSameAs(first.TakerSide).And.BeSameAs(string.IsInterned("no"));
        second.TakerBookSide.Should().BeSameAs(first.TakerBookSide);
        book.Side.Should().Be("yes").And.BeSameAs(string.IsInterned("yes"));
        second.TradeId.Should().Be(first.TradeId, "trade ids are unique: decoded as they come");
    }

    private static string Get(TickerNames names, byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return names.Get(ref reader);
    }

    private static T ParseWith<T>(TickerNames names, byte[] json)
        where T : KalshiFrame
    {
        KalshiFrameParser.TryParse(json, names, out var frame, out var error).Should().BeTrue(error);
        return frame.Should().BeOfType<T>().Subject;
    }
}
