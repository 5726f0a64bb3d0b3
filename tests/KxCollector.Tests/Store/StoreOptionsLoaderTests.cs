using KxCollector.Configuration;
using KxCollector.Store;

namespace KxCollector.Tests.Store;

public sealed class StoreOptionsLoaderTests
{
    [Fact]
    public void Without_DATABASE_URL_there_is_no_store()
    {
        StoreOptionsLoader.Load(Reader(("BATCH_INSERT_SIZE", "100")), strictUrl: false).Should().BeNull();
    }

    [Fact]
    public void Defaults_are_500_rows_2_seconds_and_the_host_name_as_collector_id()
    {
        var options = StoreOptionsLoader.Load(Reader(("DATABASE_URL", "postgres://kx:pw@h/db")), strictUrl: false)!;

        options.BatchSize.Should().Be(500);
        options.FlushInterval.Should().Be(TimeSpan.FromSeconds(2));
        options.CollectorId.Should().Be(StoreOptionsLoader.DefaultCollectorId());
        options.Target.Should().NotBeNull();
        options.UrlError.Should().BeNull();
    }

    [Fact]
    public void A_bad_DATABASE_URL_in_the_daemon_is_carried_as_an_error_so_recording_still_starts()
    {
        var options = StoreOptionsLoader.Load(Reader(("DATABASE_URL", "postgres://kx:Zq9-secret@h:x/db")), strictUrl: false)!;

        options.Target.Should().BeNull();
        options.UrlError.Should().StartWith("DATABASE_URL: ").And.NotContain("Zq9-secret");
    }

    [Fact]
    public void A_bad_DATABASE_URL_for_the_db_commands_is_a_configuration_error()
    {
        var act = () => StoreOptionsLoader.Load(Reader(("DATABASE_URL", "postgres://kx:Zq9-secret@h:x/db")), strictUrl: true);

        act.Should().Throw<ConfigurationException>().Which.Message.Should().NotContain("Zq9-secret");
    }

    [Theory]
    [InlineData("COLLECTOR_ID", "-leading-dash")]
    [InlineData("COLLECTOR_ID", "has space")]
    [InlineData("BATCH_INSERT_SIZE", "0")]
    [InlineData("BATCH_INSERT_SIZE", "100001")]
    [InlineData("BATCH_FLUSH_SECONDS", "0.05")]
    [InlineData("BATCH_FLUSH_SECONDS", "61")]
    public void Other_store_settings_are_validated_like_any_setting(string key, string value)
    {
        var act = () => StoreOptionsLoader.Load(Reader(("DATABASE_URL", "postgres://kx:pw@h/db"), (key, value)), strictUrl: false);

        act.Should().Throw<ConfigurationException>().Which.Key.Should().Be(key);
    }

    [Fact]
    public void Given_values_are_used()
    {
        var options = StoreOptionsLoader.Load(
            Reader(("DATABASE_URL", "postgres://kx:pw@h/db"), ("COLLECTOR_ID", "vps-1.eu"), ("BATCH_INSERT_SIZE", "2000"), ("BATCH_FLUSH_SECONDS", "0.5")),
            strictUrl: false)!;

        options.CollectorId.Should().Be("vps-1.eu");
        options.BatchSize.Should().Be(2000);
        options.FlushInterval.Should().Be(TimeSpan.FromMilliseconds(500));
    }

    private static SettingsReader Reader(params (string Key, string Value)[] values) =>
        new(values.ToDictionary(v => v.Key, v => v.Value));
}
