using KxCollector.Kalshi.Markets;
using Microsoft.Extensions.Logging.Abstractions;

namespace KxCollector.Tests.Kalshi;

/// <summary>The live-market state alone: polls and stream notices merged, no clock and no REST.</summary>
public sealed class LiveMarketsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 23, 3, 0, 0, TimeSpan.Zero);
    private readonly LiveMarkets _live = new(NullLogger.Instance);

    private static KalshiMarket Market(string ticker, int openMinute, string status = "active", decimal? yesBid = null) => new()
    {
        Ticker = ticker,
        Status = status,
        OpenTime = T0.AddMinutes(openMinute),
        CloseTime = T0.AddMinutes(openMinute + 15),
        YesBid = yesBid,
    };

    [Fact]
    public void A_cached_open_list_never_overwrites_a_market_past_its_close_nor_brings_back_a_settled_one()
    {
        _live.MergeOpenList([Market("A", 0, yesBid: 0.40m)], T0.AddMinutes(1), _ => false);
        _live.MergeByTicker([Market("A", 0, status: "closed", yesBid: 0.99m)], T0.AddMinutes(15).AddSeconds(1));

        var (added, _) = _live.MergeOpenList([Market("A", 0, yesBid: 0.40m), Market("SETTLED", -15)], T0.AddMinutes(15).AddSeconds(2), t => t == "SETTLED");

        added.Should().BeFalse();
        _live.Tickers.Should().Equal("A");
        _live.Entries.Single().YesBid.Should().Be(99m, "the by-ticker read after close stands");
    }

    [Fact]
    public void A_market_that_leaves_the_open_list_is_read_by_ticker_from_then_on()
    {
        _live.MergeOpenList([Market("A", 0), Market("B", 15)], T0.AddMinutes(1), _ => false).Should().Be((true, false));
        _live.PendingTickers(T0.AddMinutes(2)).Should().BeEmpty();

        _live.MergeOpenList([Market("B", 15)], T0.AddMinutes(3), _ => false).Should().Be((false, true));

        _live.PendingTickers(T0.AddMinutes(3)).Should().Equal("A");
        _live.PendingSince(T0.AddMinutes(3)).Should().Equal([null], "out of the list before its close: no close to count from");
        _live.PendingSince(T0.AddMinutes(16)).Should().Equal([T0.AddMinutes(15)]);
    }

    [Fact]
    public void A_determined_notice_counts_once_and_only_for_a_market_in_the_tick()
    {
        _live.MergeOpenList([Market("A", 0)], T0.AddMinutes(1), _ => false);

        _live.MarkDetermined("OTHER", T0.AddMinutes(5)).Should().BeFalse();
        _live.MarkDetermined("A", T0.AddMinutes(5)).Should().BeTrue();
        _live.MarkDetermined("A", T0.AddMinutes(6)).Should().BeFalse("the first notice's time is the one that counts");

        _live.PendingSince(T0.AddMinutes(7)).Should().Equal([T0.AddMinutes(5)]);
    }

    [Fact]
    public void The_event_instants_are_the_upcoming_open_times_and_the_live_markets_open_and_close_times()
    {
        _live.MergeOpenList([Market("A", 0)], T0.AddMinutes(1), _ => false);
        _live.SetUpcoming([Market("C", 30, status: "initialized"), Market("B", 15, status: "initialized"), Market("A", 0)]);

        _live.Upcoming.Select(m => m.Ticker).Should().Equal(["B", "C"], "by open_time, without the markets already in the tick");
        _live.EventInstants().Should().BeEquivalentTo([T0.AddMinutes(15), T0.AddMinutes(30), T0, T0.AddMinutes(15)]);
    }

    [Fact]
    public void A_market_without_a_result_seven_days_after_its_close_is_given_up()
    {
        _live.MergeOpenList([Market("A", 0)], T0.AddMinutes(1), _ => false);

        _live.ForgetAbandoned(T0.AddMinutes(15) + MarketRecovery.BackfillLimit).Should().BeFalse();
        _live.ForgetAbandoned(T0.AddMinutes(15) + MarketRecovery.BackfillLimit + TimeSpan.FromTicks(1)).Should().BeTrue();
        _live.Tickers.Should().BeEmpty();
    }
}
