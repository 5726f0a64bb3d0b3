using KxCollector.Pricing;

namespace KxCollector.Tests.Pricing;

public sealed class UnixSecondTests
{
    [Theory]
    [InlineData(1_773_489_600_999L, 1_773_489_600L)]
    [InlineData(1_773_489_601_000L, 1_773_489_601L)]
    [InlineData(0L, 0L)]
    [InlineData(-1L, -1L)] // 1969-12-31T23:59:59.999Z is in the second before the epoch, not in second 0
    [InlineData(-1000L, -1L)]
    [InlineData(-1001L, -2L)]
    public void An_instant_belongs_to_the_whole_second_it_falls_in(long unixMs, long second)
    {
        UnixSecond.Of(unixMs).Should().Be(second);
        UnixSecond.Of(DateTimeOffset.FromUnixTimeMilliseconds(unixMs)).Should().Be(second);
    }
}
