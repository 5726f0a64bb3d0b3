using KxCollector.Configuration;
using KxCollector.Kalshi.Index;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Kalshi.Index;

public sealed class OfficialIndexMapTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("KXBTC15M", "BRTI")]
    [InlineData("KXBTCD", "BRTI")]
    [InlineData("KXETH15M", "ETHUSD_RTI")]
    [InlineData("KXSOL15M", "SOLUSD_RTI")]
    [InlineData("KXXRP15M", "XRPUSD_RTI")]
    [InlineData("KXDOGE15M", "DOGEUSD_RTI")]
    [InlineData("KXNFLGAME", null)]
    public void By_default_each_crypto_series_settles_on_its_CF_real_time_index(string series, string? index) =>
        Load().OfficialIndexes.IndexOf(series).Should().Be(index);

    [Fact]
    public void The_setting_replaces_the_map_and_the_longest_prefix_wins()
    {
        var map = Load(("OFFICIAL_INDEX_MAP", "kxbtc=BRTI, KXBTCD=BRTI_ALT")).OfficialIndexes;
        map.IndexOf("KXBTC15M").Should().Be("BRTI");
        map.IndexOf("KXBTCD").Should().Be("BRTI_ALT");
        map.IndexOf("KXETH15M").Should().BeNull("the default map is replaced, not merged");
        map.IndexesOf(["KXBTC15M", "KXBTCD", "KXBTC1H"]).Should().Equal("BRTI", "BRTI_ALT");
        Load(("OFFICIAL_INDEX_MAP", "none")).OfficialIndexes.IndexOf("KXBTC15M").Should().BeNull();
    }

    [Theory]
    [InlineData("KXBTC")]
    [InlineData("KXBTC=BRTI,KXBTC=ETHUSD_RTI")]
    [InlineData("KXBTC=BR TI")]
    [InlineData("=BRTI")]
    public void A_bad_map_stops_start_up_naming_the_setting(string value)
    {
        var act = () => Load(("OFFICIAL_INDEX_MAP", value));
        act.Should().Throw<ConfigurationException>().Where(e => e.Key == "OFFICIAL_INDEX_MAP")
            .Which.Message.Should().Contain("PREFIX=INDEX_ID");
    }

    private CollectorOptions Load(params (string Key, string Value)[] settings) =>
        CollectorOptionsLoader.Load(settings.ToDictionary(s => s.Key, s => s.Value), _dir.Path);
}
