using KxCollector.Kalshi.Stream;

namespace KxCollector.Tests.Kalshi.Stream;

public sealed class TradeDeduplicatorTests
{
    [Fact]
    public void Each_trade_id_is_accepted_once()
    {
        var dedup = new TradeDeduplicator();

        dedup.TryAdd("a").Should().BeTrue();
        dedup.TryAdd("b").Should().BeTrue();
        dedup.TryAdd("a").Should().BeFalse();
        dedup.TryAdd("b").Should().BeFalse();
    }

    [Fact]
    public void Memory_is_bounded_by_forgetting_the_oldest_ids()
    {
        var dedup = new TradeDeduplicator(capacity: 3);
        foreach (var id in new[] { "1", "2", "3", "4" })
        {
            dedup.TryAdd(id).Should().BeTrue();
        }

        dedup.Count.Should().Be(3);
        dedup.TryAdd("4").Should().BeFalse("recent ids are remembered");
        dedup.TryAdd("1").Should().BeTrue("the oldest id was forgotten to stay within the bound");
    }
}
