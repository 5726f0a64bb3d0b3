using KxCollector.Net;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Net;

/// <summary>The one backoff: the feeds' reconnects (these bounds), the Kalshi stream's and REST retries, the database's.</summary>
public sealed class BackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 17, 0, 0, TimeSpan.Zero));

    private Backoff Create(Func<double> random) => new(new BackoffPolicy(Base, Cap), _time, Stable, random);

    [Fact]
    public void NextDelay_at_the_top_of_the_jitter_doubles_from_the_base_up_to_the_cap()
    {
        var backoff = Create(() => 1.0);

        var delays = Enumerable.Range(0, 10).Select(_ => backoff.NextDelay().TotalSeconds).ToArray();

        delays.Should().Equal(0.5, 1, 2, 4, 8, 16, 30, 30, 30, 30);
    }

    [Fact]
    public void NextDelay_scales_the_ceiling_by_the_random_fraction()
    {
        var fractions = new Queue<double>([0.0, 0.25, 0.5, 0.999]);
        var backoff = Create(fractions.Dequeue);

        var delays = Enumerable.Range(0, 4).Select(_ => backoff.NextDelay()).ToArray();

        delays.Should().Equal(TimeSpan.Zero, TimeSpan.FromSeconds(0.25), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3.996));
    }

    [Fact]
    public void NextDelay_with_a_real_random_source_stays_within_zero_and_the_ceiling()
    {
        var random = new Random(12345);
        var backoff = Create(random.NextDouble);

        for (var i = 0; i < 200; i++)
        {
            var ceiling = backoff.Ceiling;
            var delay = backoff.NextDelay();

            delay.Should().BeGreaterThanOrEqualTo(TimeSpan.Zero).And.BeLessThanOrEqualTo(ceiling);
            ceiling.Should().BeLessThanOrEqualTo(Cap);
        }
    }

    [Fact]
    public void NextDelay_with_full_jitter_spreads_over_the_whole_range_not_just_the_top()
    {
        var random = new Random(7);
        var delays = Enumerable.Range(0, 500).Select(_ =>
        {
            var backoff = Create(random.NextDouble);
            for (var i = 0; i < 8; i++)
            {
                backoff.NextDelay();
            }

            return backoff.NextDelay().TotalSeconds;
        }).ToArray();

        delays.Should().Contain(d => d < 3, "full jitter reaches down to zero");
        delays.Should().Contain(d => d > 27, "and up to the capped ceiling");
        delays.Average().Should().BeInRange(12, 18);
    }

    [Fact]
    public void NextDelay_after_a_connection_that_lasted_the_stable_period_starts_from_the_base_again()
    {
        var backoff = Create(() => 1.0);
        for (var i = 0; i < 6; i++)
        {
            backoff.NextDelay();
        }

        backoff.MarkConnected();
        _time.Advance(Stable);

        backoff.NextDelay().Should().Be(Base);
        backoff.NextDelay().Should().Be(Base * 2);
    }

    [Fact]
    public void NextDelay_after_a_connection_shorter_than_the_stable_period_keeps_growing()
    {
        var backoff = Create(() => 1.0);
        backoff.NextDelay();
        backoff.NextDelay();

        backoff.MarkConnected();
        _time.Advance(Stable - TimeSpan.FromMilliseconds(1));

        backoff.NextDelay().Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void NextDelay_counts_a_stable_connection_only_once()
    {
        var backoff = Create(() => 1.0);
        backoff.MarkConnected();
        _time.Advance(Stable * 2);

        backoff.NextDelay().Should().Be(Base);
        _time.Advance(Stable);
        backoff.NextDelay().Should().Be(Base * 2, "failed connects after the stable link do not reset the count");
    }

    [Fact]
    public void NextDelay_after_thousands_of_failures_is_still_capped()
    {
        var backoff = Create(() => 1.0);

        for (var i = 0; i < 5000; i++)
        {
            backoff.NextDelay();
        }

        backoff.NextDelay().Should().Be(Cap);
    }

    [Fact]
    public void Constructor_rejects_a_cap_below_the_base()
    {
        var create = () => new BackoffPolicy(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));

        create.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void NextDelay_counts_attempts_from_one_and_reset_starts_over_with_no_failure_time()
    {
        var backoff = Create(() => 1.0);
        backoff.Failing.Should().BeFalse();

        backoff.NextDelay();
        _time.Advance(TimeSpan.FromSeconds(5));
        backoff.NextDelay();

        backoff.Attempt.Should().Be(2);
        backoff.FailingFor.Should().Be(TimeSpan.FromSeconds(5), "failing since the first failure of the run");
        backoff.Reset();
        backoff.Attempt.Should().Be(0);
        backoff.FailingFor.Should().Be(TimeSpan.Zero);
        backoff.NextDelay().Should().Be(Base);
    }

    [Fact]
    public void Without_a_stable_period_only_reset_starts_the_count_over()
    {
        var backoff = new Backoff(new BackoffPolicy(Base, Cap), _time, stablePeriod: null, () => 1.0);
        backoff.NextDelay();
        backoff.MarkConnected();
        _time.Advance(TimeSpan.FromHours(1));

        backoff.NextDelay().Should().Be(Base * 2);
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.5, 1.0)]
    [InlineData(1.0, 1.2)]
    public void A_narrow_jitter_band_scales_the_ceiling_within_it(double random, double factor)
    {
        var policy = new BackoffPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), 0.8, 1.2);

        policy.Delay(0, random).Should().Be(TimeSpan.FromSeconds(factor));
        policy.Delay(3, random).Should().Be(TimeSpan.FromSeconds(8 * factor));
        policy.Delay(40, random).Should().Be(TimeSpan.FromMinutes(factor), "the cap bounds the ceiling, the band scales it");
    }

    [Fact]
    public void Other_bounds_for_one_delay_keep_the_same_count()
    {
        var backoff = new Backoff(new BackoffPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)), _time, random: () => 1.0);
        for (var i = 0; i < 8; i++)
        {
            backoff.NextDelay();
        }

        backoff.NextDelay(new BackoffPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5))).Should().Be(TimeSpan.FromSeconds(256));
        backoff.NextDelay().Should().Be(TimeSpan.FromMinutes(1));
        backoff.Attempt.Should().Be(10);
    }
}
