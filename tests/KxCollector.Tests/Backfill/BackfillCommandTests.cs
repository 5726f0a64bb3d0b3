using KxCollector.Backfill;
using KxCollector.Configuration;
using KxCollector.Kalshi.History;

namespace KxCollector.Tests.Backfill;

public sealed class BackfillCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Dates_are_whole_utc_days_with_to_included_and_defaults_for_the_rest()
    {
        BackfillCommand.TryParseRequest("kxbtc15m, KXETH15M", "2026-10-01", "2026-10-31", null, null, Now, out var requests, out var error)
            .Should().BeTrue(error);

        requests.Select(r => r.Series).Should().Equal("KXBTC15M", "KXETH15M");
        requests[0].From.Should().Be(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero));
        requests[0].To.Should().Be(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        requests[0].Should().Match<BackfillRequest>(r => r.Markets && r.Trades && r.Candles && r.Interval == CandleInterval.OneMinute && !r.WindowOnly);
    }

    [Fact]
    public void To_defaults_to_now_and_what_and_interval_narrow_the_work()
    {
        BackfillCommand.TryParseRequest("KXBTC15M", "2026-11-01T12:00:00Z", null, "trades,candles", "1h", Now, out var requests, out var error)
            .Should().BeTrue(error);

        var request = requests.Single();
        request.From.Should().Be(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        request.To.Should().Be(Now);
        request.Markets.Should().BeFalse();
        request.Interval.Should().Be(CandleInterval.OneHour);
    }

    [Theory]
    [InlineData("", "2026-10-01", null, null, null, "--series")]
    [InlineData("KXBTC15M", "yesterday", null, null, null, "--from")]
    [InlineData("KXBTC15M", "2026-10-05", "2026-10-01", null, null, "is not before")]
    [InlineData("KXBTC15M", "2026-12-01", null, null, null, "is not before")]
    [InlineData("KXBTC15M", "2026-10-01", null, "quotes", null, "--what")]
    [InlineData("KXBTC15M", "2026-10-01", null, null, "5m", "--interval")]
    public void Bad_arguments_are_refused_naming_the_option(string series, string from, string? to, string? what, string? interval, string expected)
    {
        BackfillCommand.TryParseRequest(series, from, to, what, interval, Now, out _, out var error).Should().BeFalse();

        error.Should().Contain(expected);
    }

    [Theory]
    [InlineData(null, 10)]
    [InlineData("2.5", 2.5)]
    [InlineData("100", 100)]
    public void KALSHI_REST_RPS_defaults_to_10_and_accepts_positive_rates(string? value, double expected)
    {
        var settings = new Dictionary<string, string>();
        if (value is not null)
        {
            settings["KALSHI_REST_RPS"] = value;
        }

        new SettingsReader(settings).PositiveNumber(SettingKeys.KalshiRestRps, KalshiOptions.DefaultRestRequestsPerSecond, KalshiOptions.MaxRestRequestsPerSecond, "requests per second")
            .Should().Be(expected);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("101")]
    [InlineData("fast")]
    public void KALSHI_REST_RPS_outside_its_range_is_a_configuration_error_naming_the_key(string value)
    {
        using var dir = new Support.TempDirectory();
        var settings = new Dictionary<string, string> { ["OUTPUT_DIR"] = dir.Path, ["KALSHI_REST_RPS"] = value };

        var act = () => CollectorOptionsLoader.Load(settings, dir.Path);

        act.Should().Throw<ConfigurationException>().WithMessage($"KALSHI_REST_RPS='{value}'*");
    }
}
