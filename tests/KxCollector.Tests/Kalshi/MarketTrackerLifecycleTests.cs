using KxCollector.Kalshi.Markets;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Kalshi;

/// <summary>The tracker told of lifecycle events by the stream: results before the REST poll has them, polls on demand.</summary>
public sealed class MarketTrackerLifecycleTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 23, 3, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(T0.AddMinutes(5));
    private readonly ScriptedMarketSource _source;

    public MarketTrackerLifecycleTests() => _source = new ScriptedMarketSource(_time);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_determined_event_settles_the_market_at_once_and_the_later_REST_result_writes_nothing_more()
    {
        var market = _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)));
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);
        await rig.RunUntilAsync(T0.AddMinutes(15).AddSeconds(1));
        rig.BoardTickers.Should().ContainSingle().Which.Should().Be(market.Ticker, "REST has no result yet");

        rig.Tracker.OnLifecycle(new LifecycleNotice(market.Ticker, "determined", "no", 65700.12m, "65700.12"));
        await rig.Tracker.PollAsync(CancellationToken.None);

        rig.BoardTickers.Should().BeEmpty();
        var line = KalshiTestRig.SettlementLines(_dir.Path).Should().ContainSingle().Subject;
        line.GetProperty("result").GetString().Should().Be("no");
        line.GetProperty("expiration_value").GetRawText().Should().Be("65700.12");

        market.FinalizedAt = T0.AddMinutes(15).AddSeconds(11);
        await rig.RunUntilAsync(T0.AddMinutes(16));
        KalshiTestRig.SettlementLines(_dir.Path).Should().ContainSingle("a settlement is written exactly once");
        rig.BoardTickers.Should().BeEmpty("a cached open list does not bring a settled market back");
    }

    [Fact]
    public async Task Any_other_event_makes_the_next_poll_read_the_open_list_now()
    {
        _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)));
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);
        await rig.Tracker.PollAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var before = _source.OpenPollTimes.Count();

        rig.Tracker.OnLifecycle(new LifecycleNotice("KXBTC15M-26JUL222330-30", "created", null, null, null));
        var wait = rig.Tracker.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        wait.IsCompleted.Should().BeTrue("a pending event ends the wait at once");
        await wait;
        await rig.Tracker.PollAsync(CancellationToken.None);
        _source.OpenPollTimes.Count().Should().Be(before + 1);
        _source.Queries.Last().Query.Status.Should().Be("unopened", "a created market makes the upcoming list be read too");
    }

    [Fact]
    public async Task A_determined_event_without_a_settlement_value_waits_for_REST()
    {
        var market = _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)));
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);
        await rig.RunUntilAsync(T0.AddMinutes(15).AddSeconds(1));

        rig.Tracker.OnLifecycle(new LifecycleNotice(market.Ticker, "determined", "yes", null, ""));
        await rig.Tracker.PollAsync(CancellationToken.None);

        rig.BoardTickers.Should().Equal(market.Ticker);
        KalshiTestRig.SettlementLines(_dir.Path).Should().BeEmpty();
    }
}
