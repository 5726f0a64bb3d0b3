using System.Text;
using System.Text.Json;
using KxCollector.Kalshi.Stream;

namespace KxCollector.Tests.Kalshi.Stream;

public sealed class StreamSubscriptionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_reconcile_subscribes_the_three_market_channels_and_the_lifecycle_channel()
    {
        var subs = new StreamSubscriptions(lifecycle: true);

        var commands = Reconcile(subs, "B", "A");

        commands.Should().HaveCount(2);
        commands[0].Should().Be("""{"id":1,"cmd":"subscribe","params":{"channels":["market_lifecycle_v2"]}}""");
        commands[1].Should().Be(
            """{"id":2,"cmd":"subscribe","params":{"channels":["ticker","orderbook_delta","trade"],"market_tickers":["A","B"],"use_yes_price":false,"send_initial_snapshot":true}}""",
            "NO levels in NO-leg prices are asked for explicitly (Kalshi will flip the default), and quiet markets get a quote at once");
        subs.Markets.Should().BeEquivalentTo(["A", "B"]);
    }

    [Fact]
    public void Nothing_more_is_sent_until_every_channel_is_acknowledged_then_changes_go_to_each_sid()
    {
        var subs = new StreamSubscriptions(lifecycle: false);
        Reconcile(subs, "A");

        Reconcile(subs, "A", "B").Should().BeEmpty("the subscribe is unanswered");
        subs.OnSubscribed(1, "ticker", 11);
        subs.OnSubscribed(1, "orderbook_delta", 12);
        Reconcile(subs, "A", "B").Should().BeEmpty("trade is not acknowledged yet");
        subs.OnSubscribed(1, "trade", 13);

        var commands = Reconcile(subs, "B", "C");

        commands.Select(c => (Sid(c), Action(c), Tickers(c))).Should().Equal(
            (11L, "add_markets", "B,C"),
            (11L, "delete_markets", "A"),
            (12L, "add_markets", "B,C"),
            (12L, "delete_markets", "A"),
            (13L, "add_markets", "B,C"),
            (13L, "delete_markets", "A"));
        subs.Markets.Should().BeEquivalentTo(["B", "C"]);
        subs.SidOf(StreamSubscriptions.BookChannel).Should().Be(12);
        Reconcile(subs, "B", "C").Should().BeEmpty("nothing changed");
    }

    [Fact]
    public void No_market_left_unsubscribes_rather_than_leaving_an_empty_list_that_would_mean_all_markets()
    {
        var subs = Acknowledged("A");
        var dropped = new List<string>();

        var commands = subs.Reconcile(new HashSet<string>(), Now, dropped).Select(Text).ToList();

        commands.Should().ContainSingle().Which.Should().Be("""{"id":2,"cmd":"unsubscribe","params":{"sids":[1,2,3]}}""");
        dropped.Should().Equal("A");
        subs.Markets.Should().BeEmpty();
        Reconcile(subs, "Z").Single().Should().Contain("\"cmd\":\"subscribe\"", "a new market subscribes afresh");
    }

    [Fact]
    public void Markets_whose_add_is_refused_are_dropped_and_retried_later()
    {
        var subs = Acknowledged("A");
        Reconcile(subs, "A", "B");
        var dropped = new List<string>();

        var kind = subs.OnError(2, Now, dropped);

        kind.Should().Be(StreamSubscriptions.CommandKind.AddMarkets);
        dropped.Should().Equal("B");
        subs.Markets.Should().BeEquivalentTo(["A"]);
        Reconcile(subs, "A", "B").Should().BeEmpty("a refused market waits before it is tried again");
        subs.Reconcile(new HashSet<string> { "A", "B" }, Now + StreamSubscriptions.RefusedRetryAfter, []).Should().HaveCount(3);
    }

    [Fact]
    public void A_snapshot_request_names_the_book_sid_and_every_market()
    {
        var subs = Acknowledged("B", "A");

        var command = Text(subs.SnapshotCommand(Now)!);

        command.Should().Be("""{"id":2,"cmd":"update_subscription","params":{"sid":2,"market_tickers":["A","B"],"action":"get_snapshot"}}""");
    }

    [Fact]
    public void A_command_left_unanswered_beyond_the_limit_is_overdue()
    {
        var subs = new StreamSubscriptions(lifecycle: false);
        Reconcile(subs, "A");

        subs.HasOverdue(Now + TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20)).Should().BeFalse();
        subs.HasOverdue(Now + TimeSpan.FromSeconds(21), TimeSpan.FromSeconds(20)).Should().BeTrue();
        subs.OnSubscribed(1, "ticker", 1);
        subs.OnSubscribed(1, "orderbook_delta", 2);
        subs.OnSubscribed(1, "trade", 3);
        subs.HasOverdue(Now + TimeSpan.FromSeconds(21), TimeSpan.FromSeconds(20)).Should().BeFalse("every command is answered");
    }

    [Fact]
    public void An_error_that_answers_no_command_of_ours_is_reported_as_such()
    {
        var subs = Acknowledged("A");

        subs.OnError(99, Now, []).Should().BeNull();
        subs.OnError(null, Now, []).Should().BeNull();
    }

    [Fact]
    public void A_refused_market_still_wanted_neither_hides_a_new_market_nor_is_added_with_it()
    {
        var subs = Acknowledged("A");
        Reconcile(subs, "A", "B");
        subs.OnError(2, Now, []); // the add of B, on the ticker sid
        subs.OnOk(3);
        subs.OnOk(4);

        var commands = Reconcile(subs, "A", "B", "C");

        commands.Select(c => (Sid(c), Action(c), Tickers(c))).Should().Equal(
            (1L, "add_markets", "C"), (2L, "add_markets", "C"), (3L, "add_markets", "C"));
        subs.Markets.Should().BeEquivalentTo(["A", "C"]);
        Reconcile(subs, "C").Select(c => (Sid(c), Action(c), Tickers(c))).Should().Equal(
            [(1L, "delete_markets", "A"), (2L, "delete_markets", "A"), (3L, "delete_markets", "A")],
            "B is no longer wanted, so its refusal is forgotten and nothing is added");
    }

    [Fact]
    public void Only_refused_markets_wanted_unsubscribes_the_rest_and_adds_nothing()
    {
        var subs = Acknowledged("A");
        Reconcile(subs, "A", "B");
        subs.OnError(2, Now, []);
        var dropped = new List<string>();

        var commands = subs.Reconcile(new HashSet<string> { "B" }, Now, dropped).Select(Text).ToList();

        commands.Should().ContainSingle().Which.Should().Contain("\"cmd\":\"unsubscribe\"");
        dropped.Should().Equal("A");
        subs.Markets.Should().BeEmpty();
    }

    [Fact]
    public void Reconciling_a_thousand_subscribed_markets_that_did_not_change_allocates_nothing()
    {
        // The control loop of every connection asks this about once a second; it used to copy the wanted set each time.
        var markets = Enumerable.Range(0, 1000).Select(i => $"KXNBAGAME-26DEC04-M{i:D4}").ToArray();
        var subs = Acknowledged(markets);
        var wanted = markets.ToHashSet(StringComparer.Ordinal);
        var dropped = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            subs.Reconcile(wanted, Now, dropped); // first calls: JIT, statics
            subs.HasOverdue(Now, TimeSpan.FromSeconds(20));
            subs.TakeOverdueSnapshot(Now, TimeSpan.FromSeconds(20));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var commands = 0;
        var overdue = false;
        for (var i = 0; i < 100; i++)
        {
            commands += subs.Reconcile(wanted, Now, dropped).Count;
            overdue |= subs.HasOverdue(Now, TimeSpan.FromSeconds(20)) | subs.TakeOverdueSnapshot(Now, TimeSpan.FromSeconds(20));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        commands.Should().Be(0);
        overdue.Should().BeFalse();
        dropped.Should().BeEmpty();
        allocated.Should().Be(0);
    }

    private static StreamSubscriptions Acknowledged(params string[] markets)
    {
        var subs = new StreamSubscriptions(lifecycle: false);
        Reconcile(subs, markets);
        subs.OnSubscribed(1, "ticker", 1);
        subs.OnSubscribed(1, "orderbook_delta", 2);
        subs.OnSubscribed(1, "trade", 3);
        subs.PendingCount.Should().Be(0);
        return subs;
    }

    private static List<string> Reconcile(StreamSubscriptions subs, params string[] wanted) =>
        subs.Reconcile(wanted.ToHashSet(StringComparer.Ordinal), Now, []).Select(Text).ToList();

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static long Sid(string command) => JsonDocument.Parse(command).RootElement.GetProperty("params").GetProperty("sid").GetInt64();

    private static string Action(string command) => JsonDocument.Parse(command).RootElement.GetProperty("params").GetProperty("action").GetString()!;

    private static string Tickers(string command) =>
        string.Join(',', JsonDocument.Parse(command).RootElement.GetProperty("params").GetProperty("market_tickers").EnumerateArray().Select(e => e.GetString()));
}
