using System.Text;
using System.Text.Json;
using KxCollector.Kalshi.Index;
using KxCollector.Kalshi.Markets;
using KxCollector.Pricing;
using KxCollector.Recording;

namespace KxCollector.Tests.Kalshi.Index;

/// <summary>The tick's official_index keys: their place, the latest print and its second, null once it is stale.</summary>
public sealed class OfficialIndexTickTests
{
    private static readonly DateTimeOffset Second = new(2026, 11, 21, 17, 14, 40, TimeSpan.Zero);

    [Fact]
    public void The_keys_follow_brti_or_ts_and_hold_the_latest_print_until_it_is_more_than_3_s_old()
    {
        var board = new OfficialIndexBoard(["BRTI"]);
        var reader = new OfficialIndexTick(board, "BRTI");
        board.Publish(0, new IndexPrint("BRTI", Second.AddSeconds(-1).ToUnixTimeMilliseconds(), 65790.41m, Second.AddMilliseconds(-800).ToUnixTimeMilliseconds()));

        var btc = Tick(exchangePrices: true, Second.AddMilliseconds(1), reader);
        btc.Should().StartWith("""{"type":"tick","ts":"2026-11-21T17:14:40.001Z","brti":65791,"official_index":65790.41,"official_index_ts":"2026-11-21T17:14:39.000Z","coinbase":""");

        var eth = Tick(exchangePrices: false, Second.AddSeconds(2), reader);
        eth.Should().Be("""{"type":"tick","ts":"2026-11-21T17:14:42.000Z","official_index":65790.41,"official_index_ts":"2026-11-21T17:14:39.000Z","markets":[]}""", "exactly 3 s old is not yet stale");

        var stale = Tick(exchangePrices: true, Second.AddSeconds(2).AddMilliseconds(1), reader);
        using var doc = JsonDocument.Parse(stale);
        doc.RootElement.GetProperty("official_index").ValueKind.Should().Be(JsonValueKind.Null, "a print older than 3 s is never carried");
        doc.RootElement.GetProperty("official_index_ts").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void A_series_without_an_official_index_has_no_such_keys()
    {
        var line = Encoding.UTF8.GetString(new TickFormatter(exchangePrices: true).Format(Second, new IndexSample(1m, 2m, 3m, 2m), new MarketBoard()));
        line.Should().NotContain("official");
    }

    private static string Tick(bool exchangePrices, DateTimeOffset now, OfficialIndexTick reader) =>
        Encoding.UTF8.GetString(new TickFormatter(exchangePrices, officialIndex: true)
            .Format(now, new IndexSample(65790m, 65791m, 65792m, 65791m), new MarketBoard(), reader.Read(now)));
}
