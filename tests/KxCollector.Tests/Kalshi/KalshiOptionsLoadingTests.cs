using KxCollector.Configuration;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Kalshi;

public sealed class KalshiOptionsLoadingTests
{
    [Fact]
    public void Poll_settings_default_to_documented_values()
    {
        using var dir = new TempDirectory();

        var kalshi = CollectorOptionsLoader.Load(new Dictionary<string, string> { ["OUTPUT_DIR"] = dir.Path }, dir.Path).Kalshi;

        kalshi.PollInterval.Should().Be(TimeSpan.FromSeconds(3));
        kalshi.FastPollInterval.Should().Be(TimeSpan.FromSeconds(0.5));
        kalshi.DiscoveryInterval.Should().Be(TimeSpan.FromSeconds(60));
        kalshi.HttpTimeout.Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Poll_settings_are_read_from_their_keys()
    {
        using var dir = new TempDirectory();
        var settings = new Dictionary<string, string>
        {
            ["OUTPUT_DIR"] = dir.Path,
            ["KALSHI_POLL_SECONDS"] = "5",
            ["KALSHI_FAST_POLL_SECONDS"] = "0.25",
            ["KALSHI_DISCOVERY_SECONDS"] = "120",
            ["KALSHI_HTTP_TIMEOUT_SECONDS"] = "7.5",
        };

        var kalshi = CollectorOptionsLoader.Load(settings, dir.Path).Kalshi;

        kalshi.PollInterval.Should().Be(TimeSpan.FromSeconds(5));
        kalshi.FastPollInterval.Should().Be(TimeSpan.FromSeconds(0.25));
        kalshi.DiscoveryInterval.Should().Be(TimeSpan.FromSeconds(120));
        kalshi.HttpTimeout.Should().Be(TimeSpan.FromSeconds(7.5));
    }

    [Theory]
    [InlineData("KALSHI_POLL_SECONDS", "0")]
    [InlineData("KALSHI_POLL_SECONDS", "61")]
    [InlineData("KALSHI_FAST_POLL_SECONDS", "abc")]
    [InlineData("KALSHI_DISCOVERY_SECONDS", "-1")]
    [InlineData("KALSHI_HTTP_TIMEOUT_SECONDS", "121")]
    public void Bad_poll_settings_are_configuration_errors_naming_the_key(string key, string value)
    {
        using var dir = new TempDirectory();

        var act = () => CollectorOptionsLoader.Load(new Dictionary<string, string> { ["OUTPUT_DIR"] = dir.Path, [key] = value }, dir.Path);

        act.Should().Throw<ConfigurationException>().Which.Key.Should().Be(key);
    }
}
