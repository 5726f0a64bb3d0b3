using KxCollector.Kalshi.Index;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Settlements;
using KxCollector.Pricing;
using KxCollector.Recording;
using KxCollector.Tests.Store.Support;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Store;

/// <summary>
/// Migration 4 against the real PostgreSQL: the daemon's own index, tick and settlement lines (from their formatters)
/// land in official_index_prints, index_ticks.official_index(_ts) and the new settlement columns; a print recorded in
/// two series' files is one row.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreOfficialIndexTests(PostgresServer server) : IDisposable
{
    private static readonly DateTimeOffset Close = new(2026, 11, 21, 17, 15, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Prints_ticks_and_settlements_carry_the_official_index_into_their_tables()
    {
        var print = new IndexPrint("BRTI", Close.AddSeconds(-1).ToUnixTimeMilliseconds(), 65790.41m, Close.AddSeconds(-1).AddMilliseconds(187).ToUnixTimeMilliseconds());
        var index = IndexRecorder.Format(print, Close);
        var tick = new TickFormatter(exchangePrices: true, officialIndex: true)
            .Format(Close.AddMilliseconds(1), new IndexSample(65790m, 65791m, 65792m, 65791m), new MarketBoard(), print).ToArray();
        var staleTick = new TickFormatter(exchangePrices: false, officialIndex: true)
            .Format(Close.AddSeconds(1).AddMilliseconds(1), default, new MarketBoard(), null).ToArray();
        var market = new KalshiMarket { Ticker = "KXBTC15M-26NOV211215-15", Status = "finalized", Result = "yes", CloseTime = Close, ExpirationValue = 65788.10m, FloorStrike = 65700m };
        var kalshi = new KalshiWindowAverage(65788.95m, 60, Close.AddSeconds(-60).ToUnixTimeMilliseconds() + 1, Close.ToUnixTimeMilliseconds() + 1);
        var settlement = SettlementRecorder.Format(market, Close.AddSeconds(11), new BrtiSum(65771.2m * 60, 60), official: new OfficialSettlementFigures(new BrtiSum(65788.1m * 59, 59), kalshi));

        var btc = Write("kxbtc15m-2026-11-21.jsonl", index, tick, settlement);
        var btcd = Write("kxbtcd-2026-11-21.jsonl", index);
        var eth = Write("kxeth15m-2026-11-21.jsonl", staleTick);
        var db = await server.CreateDatabaseAsync();
        await StoreImport.ImportCleanAsync(server, db, btc, btcd, eth);

        var prints = await server.QueryAsync(db, "SELECT index_id, timestamp, value, received_at FROM official_index_prints");
        prints.Should().ContainSingle("the same print from two series' files is one row").Which.Should().Equal(
            "BRTI", Close.AddSeconds(-1).UtcDateTime, 65790.41m, Close.AddSeconds(-1).AddMilliseconds(187).UtcDateTime);

        var ticks = await server.QueryAsync(db, "SELECT series_ticker, brti, official_index, official_index_ts FROM index_ticks ORDER BY timestamp");
        ticks.Should().HaveCount(2);
        ticks[0].Should().Equal("KXBTC15M", 65791m, 65790.41m, Close.AddSeconds(-1).UtcDateTime);
        ticks[1].Should().Equal(new object?[] { "KXETH15M", null, null, null }, "a series without the proxy still gets its official index row");

        var rows = await server.QueryAsync(db, """
            SELECT brti_avg60, official_avg60, official_samples, kalshi_avg60, kalshi_avg60_window_size, kalshi_avg60_window_start, kalshi_avg60_window_end
            FROM settlements
            """);
        rows.Should().ContainSingle().Which.Should().Equal(
            65771.20m, 65788.10m, 59, 65788.95m, 60, Close.AddSeconds(-60).AddMilliseconds(1).UtcDateTime, Close.AddMilliseconds(1).UtcDateTime);
    }

    private string Write(string name, params byte[][] lines)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllLines(path, lines.Select(l => System.Text.Encoding.UTF8.GetString(l)));
        return path;
    }
}
