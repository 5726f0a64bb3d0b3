using KxCollector.Kalshi.Rest;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Backfill;

public sealed class TokenBucketTests
{
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task No_one_second_window_holds_more_acquisitions_than_the_rate_even_when_timers_fire_late()
    {
        const int Rate = 10;
        var time = new SteppableTimeProvider(Start);
        using var bucket = new TokenBucket(Rate, 1, time);
        var taken = new List<TimeSpan>();
        var random = new Random(7);

        var run = Task.Run(async () =>
        {
            for (var i = 0; i < 45; i++)
            {
                await bucket.AcquireAsync(CancellationToken.None);
                lock (taken)
                {
                    taken.Add(time.GetUtcNow() - Start);
                }
            }
        });

        // Each wait is a timer; fire it late by a random 0–60 ms, as a busy machine would.
        var changes = 0;
        while (true)
        {
            var next = time.WaitForChangesAsync(changes + 1);
            if (await Task.WhenAny(next, run) == run)
            {
                break;
            }

            changes++;
            time.Advance(TimeSpan.FromMilliseconds(100 + random.Next(0, 60)));
        }

        await run;
        taken.Should().HaveCount(45);
        for (var i = 0; i < taken.Count; i++)
        {
            taken.Count(t => t >= taken[i] && t < taken[i] + TimeSpan.FromSeconds(1)).Should().BeLessThanOrEqualTo(Rate, $"window from {taken[i]}");
        }

        taken[^1].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(4.4), "45 tokens at 10/s from a bucket of 1 take 4.4 s at least");
    }

    [Fact]
    public void A_larger_capacity_allows_that_burst_and_then_the_rate()
    {
        var time = new SteppableTimeProvider(Start);
        using var bucket = new TokenBucket(5, 3, time);

        Enumerable.Range(0, 3).Select(_ => bucket.TryAcquire()).Should().OnlyContain(ok => ok);
        bucket.TryAcquire().Should().BeFalse("the burst is spent");
        time.Advance(TimeSpan.FromMilliseconds(199));
        bucket.TryAcquire().Should().BeFalse("a token takes 200 ms at 5/s");
        time.Advance(TimeSpan.FromMilliseconds(1));
        bucket.TryAcquire().Should().BeTrue();
        time.Advance(TimeSpan.FromMinutes(1));
        Enumerable.Range(0, 4).Count(_ => bucket.TryAcquire()).Should().Be(3, "an idle bucket fills up to its capacity, no further");
        bucket.Acquired.Should().Be(7);
    }

    [Fact]
    public async Task A_waiting_acquisition_ends_when_cancelled()
    {
        var time = new SteppableTimeProvider(Start);
        using var bucket = new TokenBucket(1, 1, time);
        await bucket.AcquireAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();

        var waiting = bucket.AcquireAsync(stop.Token);
        await time.WaitForChangesAsync(1);
        await stop.CancelAsync();

        await waiting.Invoking(async w => await w).Should().ThrowAsync<OperationCanceledException>();
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(double.NaN, 1)]
    [InlineData(10, 0.5)]
    public void Nonsense_rates_and_capacities_are_refused(double rate, double capacity)
    {
        var act = () => new TokenBucket(rate, capacity, TimeProvider.System);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
