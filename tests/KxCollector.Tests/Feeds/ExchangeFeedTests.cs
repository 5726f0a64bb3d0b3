using System.Text;
using KxCollector.Feeds;
using KxCollector.Feeds.Bitstamp;
using KxCollector.Feeds.Coinbase;
using KxCollector.Feeds.Kraken;
using KxCollector.Pricing;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using KxCollector.Configuration;

namespace KxCollector.Tests.Feeds;

/// <summary>What a feed does with each parsed message, without sockets: the board, the health counters, the logs.</summary>
public sealed class ExchangeFeedTests : IDisposable
{
    private static readonly Uri Unused = new("ws://127.0.0.1:9/");
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 17, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly PriceBoard _board = new();
    private readonly FeedHealthRegistry _health = new();
    private readonly ListLogger<CoinbaseFeed> _coinbaseLog = new();
    private readonly CoinbaseFeed _coinbase;

    public ExchangeFeedTests()
    {
        var options = FeedTestOptions.Create(Unused, Unused, Unused, "/nonexistent");
        _coinbase = new CoinbaseFeed(options, _board, _health, _time, FeedTimings.Default, _coinbaseLog);
    }

    public void Dispose() => _coinbase.Dispose();

    [Fact]
    public void HandleMessage_of_a_ticker_publishes_the_quote_with_the_receive_time_and_the_exchange_time()
    {
        var receivedAt = Start.AddSeconds(3);

        var kind = _coinbase.HandleMessage(Bytes(Fixtures.Frames("coinbase")[1]), receivedAt);

        kind.Should().Be(FrameKind.Quote);
        var read = _board.Read(Exchange.Coinbase);
        read.Should().NotBeNull();
        var quote = read!.Value;
        quote.Mid.Should().Be(98811.035m);
        quote.ReceivedAt.Should().Be(receivedAt);
        quote.ExchangeTime.Should().Be(new DateTimeOffset(2026, 11, 20, 14, 3, 21, TimeSpan.Zero).AddTicks(9173610));
    }

    [Fact]
    public void HandleMessage_of_a_crossed_quote_counts_a_rejection_and_leaves_the_previous_quote_on_the_board()
    {
        _coinbase.HandleMessage(Bytes("""{"type":"ticker","product_id":"BTC-USD","best_bid":"100","best_ask":"101"}"""), Start);

        _coinbase.HandleMessage(Bytes("""{"type":"ticker","product_id":"BTC-USD","best_bid":"102","best_ask":"101"}"""), Start.AddSeconds(1));

        _board.Read(Exchange.Coinbase)!.Value.Mid.Should().Be(100.5m);
        _board.Read(Exchange.Coinbase)!.Value.ReceivedAt.Should().Be(Start);
        _health[Exchange.Coinbase].RejectedQuotes.Should().Be(1);
        _coinbaseLog.Entries.Should().ContainSingle(e => e.EventId == 209 && e.Level == LogLevel.Warning);
    }

    [Fact]
    public void HandleMessage_of_a_non_positive_kraken_quote_is_rejected()
    {
        var log = new ListLogger<KrakenFeed>();
        using var kraken = new KrakenFeed(FeedTestOptions.Create(Unused, Unused, Unused, "/nonexistent"), _board, _health, _time, FeedTimings.Default, log);

        kraken.HandleMessage(Bytes("""{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":0,"ask":98811.3}]}"""), Start);

        _board.Read(Exchange.Kraken).Should().BeNull();
        _health[Exchange.Kraken].RejectedQuotes.Should().Be(1);
    }

    [Fact]
    public void HandleMessage_of_malformed_frames_counts_each_and_logs_at_most_once_a_minute_with_the_count()
    {
        for (var i = 0; i < 5; i++)
        {
            _coinbase.HandleMessage(Bytes("not json"), Start).Should().Be(FrameKind.Malformed);
        }

        _time.Advance(TimeSpan.FromSeconds(59));
        _coinbase.HandleMessage(Bytes("""{"type":"ticker","best_bid":true}"""), Start);
        _time.Advance(TimeSpan.FromSeconds(1));
        _coinbase.HandleMessage(Bytes("{"), Start);

        _health[Exchange.Coinbase].MalformedFrames.Should().Be(7);
        var warnings = _coinbaseLog.Entries.Where(e => e.EventId == 206).ToArray();
        warnings.Should().HaveCount(2);
        warnings[0].Message.Should().Contain("1 so far");
        warnings[1].Message.Should().Contain("7 so far");
        _board.Read(Exchange.Coinbase).Should().BeNull();
    }

    [Fact]
    public void HandleMessage_logs_frame_payloads_only_at_debug()
    {
        const string Marker = "SECRET-PAYLOAD-MARKER";

        _coinbase.HandleMessage(Bytes($$"""{"type":"ticker","best_bid":"{{Marker}}"}"""), Start);

        _coinbaseLog.Entries.Where(e => e.Message.Contains(Marker, StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(e => e.Level <= LogLevel.Debug);
    }

    [Fact]
    public void HandleMessage_of_a_venue_error_records_it_in_health_and_logs_a_warning()
    {
        var kind = _coinbase.HandleMessage(Bytes(Fixtures.Frames("coinbase")[4]), Start);

        kind.Should().Be(FrameKind.Error);
        _health[Exchange.Coinbase].LastError.Should().Be("Failed to subscribe: BTC-USDX is not a valid product");
        _coinbaseLog.Entries.Should().ContainSingle(e => e.EventId == 208 && e.Level == LogLevel.Warning);
    }

    [Fact]
    public void HandleMessage_of_heartbeats_and_acks_leaves_the_board_and_counters_alone()
    {
        foreach (var line in new[] { Fixtures.Frames("coinbase")[0], Fixtures.Frames("coinbase")[2] })
        {
            _coinbase.HandleMessage(Bytes(line), Start);
        }

        _board.Read(Exchange.Coinbase).Should().BeNull();
        _health[Exchange.Coinbase].MalformedFrames.Should().Be(0);
        _health[Exchange.Coinbase].RejectedQuotes.Should().Be(0);
        _health[Exchange.Coinbase].LastError.Should().BeNull();
    }

    [Fact]
    public void HandleMessage_of_a_bitstamp_reconnect_request_reports_it_to_the_receive_loop()
    {
        using var bitstamp = new BitstampFeed(FeedTestOptions.Create(Unused, Unused, Unused, "/nonexistent"), _board, _health, _time, FeedTimings.Default, new ListLogger<BitstampFeed>());

        bitstamp.HandleMessage(Bytes(Fixtures.Frames("bitstamp")[4]), Start).Should().Be(FrameKind.ReconnectRequested);
    }

    [Theory]
    [InlineData(9, 2)]
    [InlineData(6, 2)]
    [InlineData(3, 1)]
    [InlineData(1.5, 0.5)]
    public void Bitstamp_heartbeat_interval_is_at_most_a_third_of_the_silence_timeout(double silenceSeconds, double expectedSeconds)
    {
        var options = FeedTestOptions.Create(Unused, Unused, Unused, "/nonexistent", TimeSpan.FromSeconds(silenceSeconds));
        using var bitstamp = new BitstampFeed(options, _board, _health, _time, FeedTimings.Default, new ListLogger<BitstampFeed>());

        bitstamp.HeartbeatInterval.Should().Be(TimeSpan.FromSeconds(expectedSeconds));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
