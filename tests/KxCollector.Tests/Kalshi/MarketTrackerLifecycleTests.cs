using KxCollector.Kalshi.Markets;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Kalshi;

/// <summary>
/// The tracker told of lifecycle events by the stream. A determined event says a result exists, never the value the
/// market settled on (its settlement_value is the payout per contract): it makes the tracker read the market from
/// REST now and fast until REST has the result, and the settlement line carries REST's expiration_value.
/// </summary>
public sealed class MarketTrackerLifecycleTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 23, 3, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(T0.AddMinutes(5));
    private readonly ScriptedMarketSource _source;

    public MarketTrackerLifecycleTests() => _source = new ScriptedMarketSource(_time);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_determined_event_makes_the_market_be_read_from_REST_now_and_fast_and_settles_with_REST_s_value()
    {
        var close = T0.AddMinutes(15);
        var market = _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, close) { ExpirationValue = "65700.12", Result = "no" });
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);

        // Ten minutes after close the market is read only every 30 s (a tenth of the time since close, capped).
        await rig.RunUntilAsync(close.AddMinutes(10));
        var determinedAt = _time.GetUtcNow();
        rig.Tracker.OnLifecycle(new LifecycleNotice(market.Ticker, "determined", "no"));
        await rig.Tracker.PollAsync(CancellationToken.None);

        _source.Queries.Last(q => q.Query.Tickers is not null).At.Should().Be(determinedAt, "a determined event is a signal to read the market now");
        KalshiTestRig.SettlementLines(_dir.Path).Should().BeEmpty("the stream's payout is not the settlement value; REST has none yet");
        rig.BoardTickers.Should().Equal(market.Ticker);

        market.FinalizedAt = determinedAt.AddSeconds(2);
        await rig.RunUntilAsync(determinedAt.AddSeconds(4));

        var byTicker = _source.Queries.Where(q => q.Query.Tickers is not null && q.At > determinedAt && q.At <= determinedAt.AddSeconds(4)).ToList();
        byTicker.Should().HaveCountGreaterThanOrEqualTo(3, "after determined the market is polled fast until REST has its result");
        var line = KalshiTestRig.SettlementLines(_dir.Path).Should().ContainSingle().Subject;
        line.GetProperty("result").GetString().Should().Be("no");
        line.GetProperty("expiration_value").GetRawText().Should().Be("65700.12");
        rig.BoardTickers.Should().BeEmpty();

        await rig.RunUntilAsync(determinedAt.AddMinutes(1));
        KalshiTestRig.SettlementLines(_dir.Path).Should().ContainSingle("a settlement is written exactly once");
    }

    [Fact]
    public async Task Any_other_event_makes_the_next_poll_read_the_open_list_now()
    {
        _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)));
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);
        await rig.Tracker.PollAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var before = _source.OpenPollTimes.Count();

        rig.Tracker.OnLifecycle(new LifecycleNotice("KXBTC15M-26JUL222330-30", "created", null));
        var wait = rig.Tracker.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        wait.IsCompleted.Should().BeTrue("a pending event ends the wait at once");
        await wait;
        await rig.Tracker.PollAsync(CancellationToken.None);
        _source.OpenPollTimes.Count().Should().Be(before + 1);
        _source.Queries.Last().Query.Status.Should().Be("unopened", "a created market makes the upcoming list be read too");
    }
}
