using KxCollector.Records;
using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.StatusPage;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.StatusPage;

/// <summary>
/// The status page's data: the last hour of the recorded ticks, read from the day files as they grow, exactly as
/// written, with older ticks dropped and half-written lines left for the next read.
/// </summary>
public sealed class RecentTicksTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Returns_the_hour_s_ticks_oldest_first_with_the_recorded_numbers_and_skips_other_lines()
    {
        Append(Noon, Tick(Noon.AddMinutes(-61), 1m) + Tick(Noon.AddMinutes(-59), 68000.12m, "KXBTC15M-A", 45.5m, 46m)
            + """{"type":"trade","ts":"2026-11-21T11:01:00.000Z","trade_id":"x"}""" + "\n"
            + Tick(Noon.AddSeconds(-1), 68001.005m, null, null, null, official: 68000.5m));
        var ticks = new RecentTicks(PathFor);

        var read = ticks.Read(Noon);

        read.Select(t => t.Ts).Should().Equal(Noon.AddMinutes(-59), Noon.AddSeconds(-1));
        read[0].Brti.Should().Be(68000.12m);
        read[0].Kraken.Should().Be(68000.62m);
        read[0].OfficialIndex.Should().BeNull();
        read[0].Markets.Should().ContainSingle().Which.Should().Be(new RecentQuote("KXBTC15M-A", "active", 45.5m, 46m, 120));
        read[1].Brti.Should().Be(68001.005m);
        read[1].OfficialIndex.Should().Be(68000.5m);
        read[1].Markets.Should().BeEmpty();
    }

    [Fact]
    public void Reads_only_what_was_appended_leaves_a_half_written_line_and_drops_ticks_older_than_the_hour()
    {
        Append(Noon, Tick(Noon.AddMinutes(-30), 100m));
        var ticks = new RecentTicks(PathFor);
        ticks.Read(Noon).Should().ContainSingle();

        var next = Tick(Noon.AddSeconds(1), 101m);
        Append(Noon, next[..20]);
        ticks.Read(Noon.AddSeconds(2)).Select(t => t.Brti).Should().Equal(100m);

        Append(Noon, next[20..]);
        ticks.Read(Noon.AddSeconds(2)).Select(t => t.Brti).Should().Equal(100m, 101m);

        ticks.Read(Noon.AddMinutes(31)).Select(t => t.Brti).Should().Equal(101m);
    }

    [Fact]
    public void On_first_use_after_midnight_the_previous_day_s_last_hour_is_read_too_and_the_day_rolls_over()
    {
        var midnight = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        Append(midnight.AddDays(-1), Tick(midnight.AddMinutes(-90), 1m) + Tick(midnight.AddMinutes(-20), 2m));
        Append(midnight, Tick(midnight.AddSeconds(1), 3m));
        var ticks = new RecentTicks(PathFor);

        ticks.Read(midnight.AddSeconds(2)).Select(t => t.Brti).Should().Equal(2m, 3m);

        // The next midnight: the old file's last seconds first, then the new day's.
        var next = midnight.AddDays(1);
        Append(midnight, Tick(next.AddSeconds(-1), 4m));
        Append(next, Tick(next, 5m));
        ticks.Read(next.AddSeconds(1)).Select(t => t.Brti).Should().Equal(4m, 5m);
    }

    [Fact]
    public void The_json_has_one_column_per_value_aligned_with_t_and_each_live_market_s_quotes_null_where_it_was_not_listed()
    {
        Append(Noon, Tick(Noon.AddSeconds(-2), 10m) + Tick(Noon.AddSeconds(-1), 11m, "KXBTC15M-B", 5.6m, 5.7m));
        var options = CollectorOptionsLoader.Load(new Dictionary<string, string> { [SettingKeys.OutputDir] = _dir.Path }, _dir.Path);
        var route = new RecentDataRoute(new RecentTicks(PathFor), options, new FakeTimeProvider(Noon));

        using var json = JsonDocument.Parse(route.Serialize(Noon));
        var root = json.RootElement;

        root.GetProperty("t").EnumerateArray().Select(t => t.GetInt64()).Should().Equal(Noon.AddSeconds(-2).ToUnixTimeMilliseconds(), Noon.AddSeconds(-1).ToUnixTimeMilliseconds());
        root.GetProperty("brti").GetRawText().Should().Be("[10,11]");
        root.GetProperty("coinbase").GetRawText().Should().Be("[9.99,10.99]");
        root.GetProperty("official_index").GetRawText().Should().Be("[null,null]");
        var market = root.GetProperty("markets").EnumerateArray().Should().ContainSingle().Subject;
        market.GetProperty("ticker").GetString().Should().Be("KXBTC15M-B");
        market.GetProperty("yes_bid").GetRawText().Should().Be("[null,5.6]");
        market.GetProperty("yes_ask").GetRawText().Should().Be("[null,5.7]");
        market.GetProperty("secs_left").GetInt64().Should().Be(120);
    }

    private string PathFor(DateOnly date) => Path.Combine(_dir.Path, $"kxbtc15m-{date:yyyy-MM-dd}.jsonl");

    private void Append(DateTimeOffset day, string text) => File.AppendAllText(PathFor(DateOnly.FromDateTime(day.UtcDateTime)), text);

    private static string Tick(DateTimeOffset ts, decimal brti, string? ticker = null, decimal? bid = null, decimal? ask = null, decimal? official = null)
    {
        var markets = ticker is null
            ? "[]"
            : $$"""[{"ticker":"{{ticker}}","status":"active","yes_bid":{{bid}},"yes_ask":{{ask}},"no_bid":null,"no_ask":null,"secs_left":120,"age_ms":5}]""";
        var officialKeys = official is null ? string.Empty : $$""","official_index":{{official}},"official_index_ts":"{{KxCollector.Records.JsonTimestamps.ToText(ts)}}" """.TrimEnd();
        return $$"""{"type":"tick","ts":"{{KxCollector.Records.JsonTimestamps.ToText(ts)}}","brti":{{brti}}{{officialKeys}},"coinbase":{{brti - 0.01m}},"kraken":{{brti + 0.5m}},"bitstamp":{{brti - 0.5m}},"markets":{{markets}}}""" + "\n";
    }
}
