using System.Net;
using System.Net.Sockets;
using KxCollector.Fakes.Exchanges;
using KxCollector.Feeds;
using KxCollector.Feeds.Bitstamp;
using KxCollector.Feeds.Coinbase;
using KxCollector.Pricing;

using KxCollector.Tests.Support;

namespace KxCollector.Tests.Feeds;

/// <summary>The real feeds against the venue fakes over loopback sockets: quotes, faults, reconnects.</summary>
public sealed class ExchangeFeedIntegrationTests
{
    public static TheoryData<string> Venues => new() { "coinbase", "kraken", "bitstamp" };

    [Theory]
    [MemberData(nameof(Venues))]
    public async Task Feed_publishes_the_fakes_mid_on_the_board_and_follows_its_changes(string venue)
    {
        await using var rig = await FeedRig.StartAsync(venue);

        await rig.WaitForMidAsync(70000.2m);
        rig.Fake.SetQuote(70010.00m, 70010.50m);
        await rig.WaitForMidAsync(70010.25m, "after the fake's quote changed");

        rig.Health.Connected.Should().BeTrue();
        rig.Health.MalformedFrames.Should().Be(0);
        rig.Fake.Subscriptions.Should().Be(1);
        rig.Fake.RejectedSubscriptions.Should().Be(0, "the feed sends exactly the subscription the venue expects");
    }

    [Theory]
    [MemberData(nameof(Venues))]
    public async Task Feed_whose_connection_is_dropped_reconnects_and_publishes_the_new_prices(string venue)
    {
        await using var rig = await FeedRig.StartAsync(venue);
        await rig.WaitForMidAsync(70000.2m);

        rig.Fake.DropAllConnections();
        rig.Fake.SetQuote(69990m, 69991m);

        await rig.WaitForMidAsync(69990.5m, "after the reconnect");
        rig.Fake.Subscriptions.Should().Be(2);
        rig.Health.Reconnects.Should().Be(1);
        rig.Health.Connected.Should().BeTrue();
    }

    [Fact]
    public async Task Feed_whose_venue_closes_politely_reconnects()
    {
        await using var rig = await FeedRig.StartAsync("kraken");
        await rig.WaitForMidAsync(70000.2m);

        await rig.Fake.CloseAllConnectionsAsync();

        await rig.WaitAsync(() => rig.Fake.Subscriptions == 2 && rig.Health.Connected, "a second subscription after the venue closed the first");
        rig.Health.Reconnects.Should().Be(1);
    }

    [Fact]
    public async Task Feed_on_a_silent_link_aborts_it_after_the_silence_timeout_and_recovers_when_the_venue_speaks_again()
    {
        await using var rig = await FeedRig.StartAsync("coinbase");
        await rig.WaitForMidAsync(70000.2m);
        var silentSince = TimeProvider.System.GetTimestamp();

        rig.Fake.Silent = true;
        await rig.WaitAsync(() => rig.Fake.ConnectionsAccepted >= 2, "a new connection after the link went silent", TimeSpan.FromSeconds(4));
        var reconnectedAfter = TimeProvider.System.GetElapsedTime(silentSince);

        reconnectedAfter.Should().BeGreaterThanOrEqualTo(FeedTestOptions.SilenceTimeout - TimeSpan.FromMilliseconds(100), "only silence longer than the timeout counts");
        reconnectedAfter.Should().BeLessThan(FeedTestOptions.SilenceTimeout + TimeSpan.FromSeconds(1.5), "the watchdog fires at the timeout, then at most one capped backoff");
        rig.Health.LastError.Should().Contain("no frame");
        rig.Mid.Should().Be(70000.2m, "a reconnect never clears the board; staleness is the tick's business");

        rig.Fake.Silent = false;
        rig.Fake.SetQuote(70001m, 70002m);
        await rig.WaitForMidAsync(70001.5m, "after the venue spoke again");
        rig.Health.Connected.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Venues))]
    public async Task Feed_reassembles_a_message_split_across_many_websocket_frames(string venue)
    {
        await using var rig = await FeedRig.StartAsync(venue);
        await rig.WaitForMidAsync(70000.2m);
        rig.Fake.QuotesPaused = true;

        await rig.Fake.SendQuoteAsync(71000m, 71000.5m, fragments: 97);

        await rig.WaitForMidAsync(71000.25m, "from the fragmented message");
        rig.Health.MalformedFrames.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Venues))]
    public async Task Feed_counts_and_skips_garbage_truncated_and_wrongly_typed_frames_and_keeps_the_connection(string venue)
    {
        await using var rig = await FeedRig.StartAsync(venue);
        await rig.WaitForMidAsync(70000.2m);

        await rig.Fake.SendGarbageAsync();
        await rig.Fake.SendTruncatedQuoteAsync();
        await rig.Fake.SendWrongTypesAsync();
        rig.Fake.SetQuote(70005m, 70006m);

        await rig.WaitAsync(() => rig.Health.MalformedFrames == 3, "three malformed frames counted");
        await rig.WaitForMidAsync(70005.5m, "from a good frame after the bad ones");
        rig.Fake.ConnectionsAccepted.Should().Be(1, "bad frames never cost the connection");
        rig.Health.Reconnects.Should().Be(0);
    }

    [Fact]
    public async Task Feed_reads_a_one_megabyte_message()
    {
        await using var rig = await FeedRig.StartAsync("bitstamp");
        await rig.WaitForMidAsync(70000.2m);
        rig.Fake.QuotesPaused = true;

        await rig.Fake.SendLargeQuoteAsync(72000m, 72001m, totalBytes: 1024 * 1024, fragments: 16);

        await rig.WaitForMidAsync(72000.5m, "from the 1 MB message");
        rig.Health.MalformedFrames.Should().Be(0);
    }

    [Fact]
    public async Task Feed_discards_a_message_over_the_size_cap_counts_it_and_keeps_the_connection()
    {
        var timings = FeedTestOptions.FastTimings with { MaxMessageBytes = 256 * 1024 };
        await using var rig = await FeedRig.StartAsync("coinbase", timings);
        await rig.WaitForMidAsync(70000.2m);
        rig.Fake.QuotesPaused = true;

        await rig.Fake.SendLargeQuoteAsync(72000m, 72001m, totalBytes: 1024 * 1024);
        await rig.Fake.SendQuoteAsync(70003m, 70004m);

        await rig.WaitForMidAsync(70003.5m, "from the small message after the oversized one");
        rig.Health.MalformedFrames.Should().Be(1);
        rig.Fake.ConnectionsAccepted.Should().Be(1);
    }

    [Fact]
    public async Task Feed_refused_by_its_venue_keeps_retrying_with_backoff_and_connects_once_allowed()
    {
        await using var rig = await FeedRig.StartAsync("kraken", configureFake: f => f.RefuseConnections = true);

        await rig.WaitAsync(() => rig.Fake.ConnectionsRefused >= 3, "three refused attempts");
        rig.Health.Connected.Should().BeFalse();
        rig.Health.LastError.Should().NotBeNullOrEmpty();
        rig.Mid.Should().BeNull();

        rig.Fake.RefuseConnections = false;
        await rig.WaitForMidAsync(70000.2m, "once the venue accepts connections again");
        rig.Health.Connected.Should().BeTrue();
    }

    [Fact]
    public async Task Bitstamp_feed_keeps_a_quiet_link_alive_with_its_own_heartbeats()
    {
        await using var rig = await FeedRig.StartAsync("bitstamp");
        await rig.WaitForMidAsync(70000.2m);
        var bitstamp = (FakeBitstamp)rig.Fake;

        rig.Fake.QuotesPaused = true;
        var answeredBefore = bitstamp.HeartbeatsAnswered;
        await rig.WaitAsync(() => bitstamp.HeartbeatsAnswered >= answeredBefore + 7, "seven heartbeats answered while no quote flows", TimeSpan.FromSeconds(6));

        rig.Fake.ConnectionsAccepted.Should().Be(1, "heartbeat answers keep the silence watchdog quiet");
        rig.Health.Reconnects.Should().Be(0);
    }

    [Fact]
    public async Task Bitstamp_feed_sends_no_heartbeat_while_quotes_flow()
    {
        await using var rig = await FeedRig.StartAsync("bitstamp");
        await rig.WaitForMidAsync(70000.2m);
        var bitstamp = (FakeBitstamp)rig.Fake;
        var interval = ((BitstampFeed)rig.Feed).HeartbeatInterval;
        var answeredBefore = bitstamp.HeartbeatsAnswered;
        var sentBefore = rig.Fake.QuotesSent;

        // 20 quotes a second for three heartbeat intervals: every check finds a frame well within the interval.
        var quotes = (long)(interval.TotalSeconds * 3 * rig.Fake.QuotesPerSecond);
        await rig.WaitAsync(() => rig.Fake.QuotesSent >= sentBefore + quotes, "three heartbeat intervals of quotes", interval * 6);

        bitstamp.HeartbeatsAnswered.Should().Be(answeredBefore, "frames already prove the link alive");
        rig.Health.Reconnects.Should().Be(0);
    }

    [Fact]
    public async Task Bitstamp_feed_on_request_reconnect_subscribes_a_new_connection_before_closing_the_old_one()
    {
        await using var rig = await FeedRig.StartAsync("bitstamp");
        await rig.WaitForMidAsync(70000.2m);
        var bitstamp = (FakeBitstamp)rig.Fake;

        await bitstamp.RequestReconnectAsync();

        // The fake sees the old socket close a moment before the feed counts the handover: wait for both.
        await rig.WaitAsync(
            () => rig.Fake.Subscriptions == 2 && rig.Fake.OpenConnections == 1 && rig.Health.Reconnects >= 1,
            "moved to a second connection and closed the first");
        rig.Fake.PeakOpenConnections.Should().Be(2, "the new connection was up before the old one closed");
        rig.Health.Reconnects.Should().Be(1);
        rig.Health.Connected.Should().BeTrue();
        rig.Logger.Entries.Should().Contain(e => e.EventId == 212, "the handover is logged");
        rig.Fake.SetQuote(70100m, 70101m);
        await rig.WaitForMidAsync(70100.5m, "from the new connection");
        rig.Fake.ConnectionsAccepted.Should().Be(2);
    }

    [Fact]
    public async Task Feed_stops_promptly_while_backing_off()
    {
        var slow = FeedTestOptions.FastTimings with { BackoffBase = TimeSpan.FromSeconds(20), BackoffCap = TimeSpan.FromSeconds(20) };
        var rig = await FeedRig.StartAsync("coinbase", slow, f => f.RefuseConnections = true);
        await rig.WaitAsync(() => rig.Fake.ConnectionsRefused >= 1, "a refused attempt");
        var stopping = TimeProvider.System.GetTimestamp();

        await rig.DisposeAsync();

        TimeProvider.System.GetElapsedTime(stopping).Should().BeLessThan(TimeSpan.FromSeconds(2));
        rig.Feed.ExecuteTask!.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public async Task Feed_whose_venue_accepts_tcp_but_never_answers_the_upgrade_gives_up_at_the_handshake_timeout_and_retries()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<TcpClient>();
        using var acceptStop = new CancellationTokenSource();
        var acceptLoop = Task.Run(async () =>
        {
            while (!acceptStop.IsCancellationRequested)
            {
                accepted.Add(await listener.AcceptTcpClientAsync(acceptStop.Token));
            }
        });
        var url = new Uri($"ws://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        var timings = FeedTestOptions.FastTimings with { HandshakeTimeout = TimeSpan.FromMilliseconds(400) };
        var registry = new FeedHealthRegistry();
        var logger = new ListLogger<CoinbaseFeed>();
        using var feed = new CoinbaseFeed(FeedTestOptions.Create(url, url, url, "/nonexistent"), new PriceBoard(), registry, TimeProvider.System, timings, logger);

        await feed.StartAsync(CancellationToken.None);
        try
        {
            await Poll.UntilAsync(() => registry[Exchange.Coinbase].Reconnects >= 2, TimeSpan.FromSeconds(5), "two timed-out attempts", logger.Dump);
        }
        finally
        {
            await feed.StopAsync(CancellationToken.None);
            await acceptStop.CancelAsync();
            await acceptLoop.ContinueWith(_ => { }, TaskScheduler.Default);
            accepted.ForEach(c => c.Dispose());
        }

        registry[Exchange.Coinbase].Connected.Should().BeFalse();
        registry[Exchange.Coinbase].LastError.Should().Be("no connection and subscription within 0.4 s");
        feed.ExecuteTask!.IsCompletedSuccessfully.Should().BeTrue();
    }
}
