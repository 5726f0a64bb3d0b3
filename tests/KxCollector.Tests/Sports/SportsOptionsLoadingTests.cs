using KxCollector.Configuration;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Sports;

public sealed class SportsOptionsLoadingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TARGET_SPORTS_alone_records_no_default_series_and_with_SERIES_TICKER_the_two_combine()
    {
        var alone = Load(("TARGET_SPORTS", "nfl, NBA,ncaaf"));

        alone.Sports.Sports.Select(s => s.Name).Should().Equal("NFL", "NBA", "CFB");
        alone.Series.Should().BeEmpty("KXBTC15M is SERIES_TICKER's default, not something TARGET_SPORTS asks for");
        alone.Sports.GamePollInterval.Should().Be(TimeSpan.FromSeconds(5));

        var both = Load(("TARGET_SPORTS", "NHL"), ("SERIES_TICKER", "KXBTC15M,KXNFLGAME"));
        both.Series.Should().Equal("KXBTC15M", "KXNFLGAME");
        both.Sports.Sports.Select(s => s.Name).Should().Equal("NHL");

        Load().Series.Should().Equal("KXBTC15M");
        Load().Sports.Sports.Should().BeEmpty();
    }

    [Theory]
    [InlineData("TARGET_SPORTS", "NFL,XFL", "'XFL' is not one")]
    [InlineData("GAME_POLL_SECONDS", "0", "positive number of seconds")]
    [InlineData("GAME_POLL_SECONDS", "soon", "positive number of seconds")]
    [InlineData("ENABLE_LIVE_STREAMING", "maybe", "true or false")]
    [InlineData("ENABLE_REST_POLLING", "2", "true or false")]
    [InlineData("ENABLE_HISTORICAL_BACKFILL", "nope", "true or false")]
    public void A_bad_value_stops_start_up_with_the_key_and_what_was_expected(string key, string value, string expected)
    {
        var act = () => Load((key, value));

        var error = act.Should().Throw<ConfigurationException>().Which;
        error.Key.Should().Be(key);
        error.Message.Should().Contain(key).And.Contain(expected);
    }

    [Fact]
    public void Switches_default_on_and_turning_off_both_stream_and_poll_is_refused()
    {
        Load().Switches.Should().Be(CollectorSwitches.AllOn);
        var off = Load(("ENABLE_LIVE_STREAMING", "false"), ("ENABLE_HISTORICAL_BACKFILL", "0"));
        off.Switches.Should().Be(new CollectorSwitches { LiveStreaming = false, RestPolling = true, HistoricalBackfill = false });

        var act = () => Load(("ENABLE_LIVE_STREAMING", "false"), ("ENABLE_REST_POLLING", "false"));

        var error = act.Should().Throw<ConfigurationException>().Which;
        error.Message.Should().Contain("ENABLE_REST_POLLING").And.Contain("ENABLE_LIVE_STREAMING").And.Contain("nothing", "it says why");
    }

    [Fact]
    public void With_the_poll_off_the_markets_are_listed_only_at_the_discovery_interval()
    {
        var options = Load(("ENABLE_REST_POLLING", "false"), ("KALSHI_DISCOVERY_SECONDS", "45"));

        options.Kalshi.PollInterval.Should().Be(TimeSpan.FromSeconds(45));
        options.Kalshi.FastPollInterval.Should().Be(TimeSpan.FromSeconds(45));
        options.Sports.DiscoveryInterval.Should().Be(TimeSpan.FromSeconds(45));
    }

    private CollectorOptions Load(params (string Key, string Value)[] settings) =>
        CollectorOptionsLoader.Load(settings.ToDictionary(s => s.Key, s => s.Value), _dir.Path);
}
