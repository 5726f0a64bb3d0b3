using System.Collections;
using KxCollector.Configuration;
using KxCollector.Recording;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Configuration;

public sealed class CollectorOptionsLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_with_nothing_set_gives_the_documented_defaults()
    {
        var options = Load();

        options.OutputDirectory.Should().Be(_dir.Combine("data"));
        options.SeriesTicker.Should().Be("KXBTC15M");
        DayFileName.PrefixOf(options.SeriesTicker).Should().Be("kxbtc15m");
        options.FeedStaleAfter.Should().Be(TimeSpan.FromSeconds(5));
        options.FeedSilenceTimeout.Should().Be(TimeSpan.FromSeconds(5));
        options.CoinbaseWebSocketUrl.Should().Be(new Uri("wss://ws-feed.exchange.coinbase.com"));
        options.KrakenWebSocketUrl.Should().Be(new Uri("wss://ws.kraken.com/v2"));
        options.BitstampWebSocketUrl.Should().Be(new Uri("wss://ws.bitstamp.net"));
        options.Kalshi.Environment.Should().Be("prod");
        options.Kalshi.ApiBaseUrl.Should().Be(new Uri("https://external-api.kalshi.com/trade-api/v2"), "Kalshi recommends the external-api host since May 2026");
        options.Kalshi.WebSocketUrl.Should().Be(new Uri("wss://external-api-ws.kalshi.com/trade-api/ws/v2"));
        options.Kalshi.HasCredentials.Should().BeFalse();
        Directory.Exists(_dir.Combine("data")).Should().BeTrue("the output folder is created at start-up");
    }

    [Fact]
    public void Load_with_demo_picks_the_demo_hosts_and_explicit_urls_override_them()
    {
        Load(("KALSHI_ENV", "DEMO")).Kalshi.ApiBaseUrl.Should().Be(new Uri(KalshiOptions.DemoApiUrl));

        var options = Load(("KALSHI_ENV", "demo"), ("KALSHI_API_URL", "http://127.0.0.1:5000/trade-api/v2"), ("KALSHI_WS_URL", "ws://127.0.0.1:5001/trade-api/ws/v2"));

        options.Kalshi.ApiBaseUrl.Should().Be(new Uri("http://127.0.0.1:5000/trade-api/v2"));
        options.Kalshi.WebSocketUrl.Should().Be(new Uri("ws://127.0.0.1:5001/trade-api/ws/v2"));
    }

    [Theory]
    [InlineData("KALSHI_ENV", "staging", "KALSHI_ENV='staging' is not valid; expected prod or demo")]
    [InlineData("COINBASE_WS_URL", "ftp://example.com", "COINBASE_WS_URL='ftp://example.com' is not valid; expected an absolute ws/wss URL")]
    [InlineData("KRAKEN_WS_URL", "https://ws.kraken.com/v2", "KRAKEN_WS_URL='https://ws.kraken.com/v2' is not valid; expected an absolute ws/wss URL")]
    [InlineData("BITSTAMP_WS_URL", "not a url", "BITSTAMP_WS_URL='not a url' is not valid; expected an absolute ws/wss URL")]
    [InlineData("KALSHI_API_URL", "wss://x/trade-api/v2", "KALSHI_API_URL='wss://x/trade-api/v2' is not valid; expected an absolute http/https URL")]
    [InlineData("FEED_STALE_SECONDS", "0", "FEED_STALE_SECONDS='0' is not valid; expected a positive number of seconds")]
    [InlineData("FEED_STALE_SECONDS", "-3", "FEED_STALE_SECONDS='-3' is not valid; expected a positive number of seconds")]
    [InlineData("FEED_STALE_SECONDS", "five", "FEED_STALE_SECONDS='five' is not valid; expected a positive number of seconds")]
    [InlineData("FEED_SILENCE_SECONDS", "NaN", "FEED_SILENCE_SECONDS='NaN' is not valid; expected a positive number of seconds")]
    [InlineData("SERIES_TICKER", "KX BTC", "SERIES_TICKER='KX BTC' is not valid; expected a Kalshi series ticker")]
    [InlineData("SERIES_TICKER", "KXBTC15M,KX NFL", "SERIES_TICKER='KXBTC15M,KX NFL' is not valid; expected a Kalshi series ticker")]
    [InlineData("SERIES_TICKER", "KXBTC15M,", "SERIES_TICKER='KXBTC15M,' is not valid; expected a Kalshi series ticker")]
    [InlineData("BOOK_DEPTH", "-1", "BOOK_DEPTH='-1' is not valid; expected a whole number from 0 to 100")]
    [InlineData("BOOK_DEPTH", "101", "BOOK_DEPTH='101' is not valid; expected a whole number from 0 to 100")]
    [InlineData("RETENTION_DAYS", "0", "RETENTION_DAYS='0' is not valid; expected a whole number from 1 to 36500")]
    [InlineData("RETENTION_DAYS", "30d", "RETENTION_DAYS='30d' is not valid; expected a whole number from 1 to 36500")]
    [InlineData("COLLECTION_INTERVAL_SECONDS", "0", "COLLECTION_INTERVAL_SECONDS='0' is not valid; expected a whole number from 1 to 3600")]
    [InlineData("COLLECTION_INTERVAL_SECONDS", "1.5", "COLLECTION_INTERVAL_SECONDS='1.5' is not valid; expected a whole number from 1 to 3600")]
    [InlineData("KALSHI_WS_SILENCE_SECONDS", "0", "KALSHI_WS_SILENCE_SECONDS='0' is not valid; expected a positive number of seconds")]
    [InlineData("KALSHI_WS_MAX_MARKETS", "0", "KALSHI_WS_MAX_MARKETS='0' is not valid; expected a whole number from 1 to 10000")]
    public void Load_with_a_bad_value_names_the_key_the_value_and_what_was_expected(string key, string value, string expected)
    {
        var act = () => Load((key, value));

        act.Should().Throw<ConfigurationException>()
            .Where(e => e.Key == key)
            .Which.Message.Should().StartWith(expected).And.NotContain("\n");
    }

    [Fact]
    public void Load_with_a_key_id_but_no_key_path_is_an_error_naming_the_missing_key()
    {
        var act = () => Load(("KALSHI_API_KEY_ID", "1a2b3c4d-0000-0000-0000-000000000000"));

        act.Should().Throw<ConfigurationException>().Where(e => e.Key == "KALSHI_PRIV_KEY_PATH");
    }

    [Fact]
    public void Load_with_an_output_folder_that_cannot_be_created_is_an_error_naming_OUTPUT_DIR()
    {
        var blocker = _dir.Combine("a-file");
        File.WriteAllText(blocker, "not a folder");

        var act = () => Load(("OUTPUT_DIR", Path.Combine(blocker, "data")));

        act.Should().Throw<ConfigurationException>()
            .Where(e => e.Key == "OUTPUT_DIR")
            .Which.Message.Should().Contain("a folder that can be created and written");
    }

    [Fact]
    public void Merge_lets_the_real_environment_win_over_the_env_file()
    {
        File.WriteAllText(_dir.Combine(".env"), "SERIES_TICKER=KXFROMFILE\nFEED_STALE_SECONDS=7\n# a comment\nOUTPUT_DIR=./from-file\n");

        var merged = EnvironmentSources.Merge(null, _dir.Path, new Hashtable { ["SERIES_TICKER"] = "KXFROMENV" });

        merged["SERIES_TICKER"].Should().Be("KXFROMENV");
        merged["FEED_STALE_SECONDS"].Should().Be("7");
        CollectorOptionsLoader.Load(merged, _dir.Path).OutputDirectory.Should().Be(_dir.Combine("from-file"));
    }

    [Fact]
    public void Merge_reads_an_explicit_env_file_and_refuses_a_missing_one()
    {
        File.WriteAllText(_dir.Combine("other.env"), "SERIES_TICKER=KXOTHER\n");

        EnvironmentSources.Merge("other.env", _dir.Path, new Hashtable())["SERIES_TICKER"].Should().Be("KXOTHER");

        var act = () => EnvironmentSources.Merge("missing.env", _dir.Path, new Hashtable());
        act.Should().Throw<ConfigurationException>().Where(e => e.Key == "--env-file");
    }

    [Fact]
    public void Merge_without_an_env_file_uses_the_environment_alone()
    {
        EnvironmentSources.Merge(null, _dir.Path, new Hashtable { ["OUTPUT_DIR"] = "/x" })
            .Should().ContainKey("OUTPUT_DIR").WhoseValue.Should().Be("/x");
    }

    [Fact]
    public void The_debug_feed_backoff_is_refused_unless_debug_faults_are_allowed_and_must_be_three_millisecond_values()
    {
        var refused = () => Load(("OUTPUT_DIR", _dir.Path), ("KX_DEBUG_FEED_BACKOFF_MS", "100,1000,3000"));
        refused.Should().Throw<ConfigurationException>().WithMessage("*KX_DEBUG_ALLOW_FAULTS=1*");

        var timings = Load(("OUTPUT_DIR", _dir.Path), ("KX_DEBUG_ALLOW_FAULTS", "1"), ("KX_DEBUG_FEED_BACKOFF_MS", "100,1000,3000")).DebugFeedTimings;
        timings!.BackoffBase.Should().Be(TimeSpan.FromMilliseconds(100));
        timings.BackoffCap.Should().Be(TimeSpan.FromSeconds(1));
        timings.StablePeriod.Should().Be(TimeSpan.FromSeconds(3));
        timings.HandshakeTimeout.Should().Be(FeedTimings.Default.HandshakeTimeout, "only the backoff is shortened");
        Load(("OUTPUT_DIR", _dir.Path)).DebugFeedTimings.Should().BeNull();

        foreach (var bad in new[] { "100,1000", "100,50,3000", "a,b,c", "0,1000,3000" })
        {
            var act = () => Load(("OUTPUT_DIR", _dir.Path), ("KX_DEBUG_ALLOW_FAULTS", "1"), ("KX_DEBUG_FEED_BACKOFF_MS", bad));
            act.Should().Throw<ConfigurationException>().Where(e => e.Key == "KX_DEBUG_FEED_BACKOFF_MS", bad);
        }
    }

    [Fact]
    public void Load_with_a_series_list_keeps_each_once_in_order_and_the_first_names_the_primary_file()
    {
        var options = Load(("SERIES_TICKER", " kxbtc15m , KXNFLGAME,KXBTC15M,KXNBAGAME "), ("BOOK_DEPTH", "5"), ("COLLECTION_INTERVAL_SECONDS", "3"));

        options.Series.Should().Equal("KXBTC15M", "KXNFLGAME", "KXNBAGAME");
        options.SeriesTicker.Should().Be("KXBTC15M");
        DayFileName.PrefixOf(options.SeriesTicker).Should().Be("kxbtc15m");
        options.BookDepth.Should().Be(5);
        options.TickIntervalSecondsOf("KXBTC15M").Should().Be(1, "BRTI series tick every second whatever the interval");
        options.TickIntervalSecondsOf("KXNFLGAME").Should().Be(3);
    }

    [Fact]
    public void Load_with_nothing_set_records_one_series_without_books_and_keeps_the_stream_defaults()
    {
        var options = Load();

        options.Series.Should().Equal("KXBTC15M");
        options.BookDepth.Should().Be(0);
        options.CollectionIntervalSeconds.Should().Be(1);
        options.Kalshi.WebSocketSilenceTimeout.Should().Be(TimeSpan.FromSeconds(20));
        options.Kalshi.WebSocketMaxMarketsPerConnection.Should().Be(200);
    }

    [Fact]
    public void Every_setting_is_documented_in_the_env_example()
    {
        var example = File.ReadAllText(Fixtures.RepositoryFile(".env.example"));
        var keys = typeof(SettingKeys).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToList();

        keys.Should().Contain("BOOK_DEPTH").And.Contain("COLLECTION_INTERVAL_SECONDS");

        // KX_DEBUG_* switches are test-only fault injection, deliberately kept out of the users' example.
        keys.Where(k => !k.StartsWith("KX_DEBUG_", StringComparison.Ordinal))
            .Where(k => !example.Contains(k + "=", StringComparison.Ordinal))
            .Should().BeEmpty();
        example.Should().NotContain("KX_DEBUG_");
    }

    [Fact]
    public void Retention_keeps_everything_unless_set()
    {
        Load().RetentionDays.Should().BeNull();
        Load(("RETENTION_DAYS", "")).RetentionDays.Should().BeNull();
        Load(("RETENTION_DAYS", "30")).RetentionDays.Should().Be(30);
    }

    [Theory]
    [InlineData("KXBTC15M", true)]
    [InlineData("KXBTCD", true)]
    [InlineData("KXBTC", true)]
    [InlineData("KXETH15M", false)]
    [InlineData("KXNFLGAME", false)]
    public void Only_the_KXBTC_series_settle_on_BRTI(string series, bool brti)
    {
        CollectorOptions.SettlesOnBrti(series).Should().Be(brti);
    }

    private CollectorOptions Load(params (string Key, string Value)[] settings) =>
        CollectorOptionsLoader.Load(settings.ToDictionary(s => s.Key, s => s.Value), _dir.Path);
}
