using KxCollector.Kalshi.Stream;

namespace KxCollector.Tests.Kalshi.Stream;

public sealed class ControlIntervalTests
{
    [Theory]
    [InlineData(20, 1000)] // the default silence timeout: one clock wake-up a second per connection
    [InlineData(5, 625)]
    [InlineData(2, 250)]
    [InlineData(1, 250)] // never busier than four times a second
    [InlineData(600, 1000)] // never slower than once a second: a probe or an overdue command is found within 1 s
    public void The_control_loop_looks_at_the_clock_an_eighth_of_the_silence_timeout_between_250_ms_and_1_s(double silenceSeconds, int expectedMs)
    {
        KalshiStreamConnection.ControlIntervalFor(TimeSpan.FromSeconds(silenceSeconds)).Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }
}
