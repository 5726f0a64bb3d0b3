using System.Globalization;
using System.Text.Json;
using KxCollector.Tests.Store.Support;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Store;

/// <summary>
/// The SQL the older collector's users run returns exactly what the JSONL says. Expected rows are computed from the
/// file with JsonDocument, independently of the store's own parser.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SeedQueryTests(PostgresServer server) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_seed_queries_return_exactly_the_rows_of_the_jsonl()
    {
        var db = await server.CreateDatabaseAsync();
        var file = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        var lines = StoreSamples.Lines(120);
        StoreSamples.Write(file, lines);
        await using (var store = await StoreRig.StartAsync(server, _dir.Path, db))
        {
            await Poll.UntilAsync(() => store.Stats.Lines == lines.Count, Wait, () => $"{store.Stats.Lines} of {lines.Count} lines stored");
        }

        var records = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var from = StoreSamples.Start.AddSeconds(10);
        var to = StoreSamples.Start.AddSeconds(40);

        // 1. The seed query, as the older collector's users wrote it.
        var rows = await server.QueryAsync(
            db,
            "SELECT timestamp, yes_bid, yes_ask, no_bid, no_ask, mid_price, spread, volume FROM market_snapshots WHERE market_ticker = $1 AND timestamp BETWEEN $2 AND $3 ORDER BY timestamp",
            StoreSamples.MarketA,
            from,
            to);
        var expected = records
            .Where(r => r.GetProperty("type").GetString() == "tick")
            .Select(r => (Ts: Time(r.GetProperty("ts")), Market: r.GetProperty("markets").EnumerateArray().Single(m => m.GetProperty("ticker").GetString() == StoreSamples.MarketA)))
            .Where(t => t.Ts >= from && t.Ts <= to)
            .Select(t =>
            {
                var bid = Number(t.Market, "yes_bid");
                var ask = Number(t.Market, "yes_ask");
                return new object?[]
                {
                    t.Ts, bid, ask, Number(t.Market, "no_bid"), Number(t.Market, "no_ask"),
                    bid is null || ask is null ? null : (bid + ask) / 2, bid is null || ask is null ? null : ask - bid, Number(t.Market, "volume"),
                };
            })
            .ToList();
        expected.Should().HaveCount(30);
        expected.Should().Contain(r => r[2] == null, "the samples include a missing ask");
        rows.Select(Normalise).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());

        // 2. Everything at one second: every market's quotes beside the index tick of that second.
        var second = StoreSamples.Start.AddSeconds(14);
        var atSecond = await server.QueryAsync(
            db,
            """
            SELECT s.market_ticker, s.yes_bid, s.yes_ask, i.brti, i.coinbase, i.kraken, i.bitstamp
            FROM market_snapshots s JOIN index_ticks i ON i.timestamp = s.timestamp
            WHERE s.timestamp >= $1 AND s.timestamp < $1 + interval '1 second' ORDER BY s.market_ticker
            """,
            second);
        var tick = records.Single(r => r.GetProperty("type").GetString() == "tick" && Time(r.GetProperty("ts")).AddMilliseconds(-1) == second);
        var expectedAtSecond = tick.GetProperty("markets").EnumerateArray()
            .Select(m => new object?[]
            {
                m.GetProperty("ticker").GetString(), Number(m, "yes_bid"), Number(m, "yes_ask"),
                Number(tick, "brti"), Number(tick, "coinbase"), Number(tick, "kraken"), Number(tick, "bitstamp"),
            })
            .OrderBy(r => (string)r[0]!, StringComparer.Ordinal)
            .ToList();
        atSecond.Select(Normalise).Should().BeEquivalentTo(expectedAtSecond, o => o.WithStrictOrdering());

        // 3. Settlements: Kalshi's value beside our BRTI proxy average, and the market's row updated with its result.
        var settled = await server.QueryAsync(
            db,
            """
            SELECT s.market_ticker, s.result, s.expiration_value, s.brti_avg60, s.brti_samples, s.expiration_value - s.brti_avg60, m.result, m.close_time
            FROM settlements s JOIN market_metadata m USING (market_ticker) WHERE s.close_time BETWEEN $1 AND $2
            """,
            StoreSamples.Start,
            StoreSamples.Start.AddHours(1));
        var settlement = records.Single(r => r.GetProperty("type").GetString() == "settlement");
        settled.Select(Normalise).Should().BeEquivalentTo(
            new[]
            {
                new object?[]
                {
                    settlement.GetProperty("ticker").GetString(), "yes", Number(settlement, "expiration_value"), Number(settlement, "brti_avg60"), 60,
                    Number(settlement, "expiration_value") - Number(settlement, "brti_avg60"), "yes", Time(settlement.GetProperty("close_time")),
                },
            },
            o => o.WithStrictOrdering());

        // And every line's rows once: the counts of the other tables match the file.
        (await server.CountAsync(db, "SELECT count(*) FROM index_ticks")).Should().Be(120);
        (await server.CountAsync(db, "SELECT count(*) FROM market_snapshots")).Should().Be(240);
        (await server.CountAsync(db, "SELECT count(*) FROM orderbook_depth")).Should().Be(120);
        (await server.CountAsync(db, "SELECT count(*) FROM trades")).Should().Be(records.Count(r => r.GetProperty("type").GetString() == "trade"));
        (await server.CountAsync(db, "SELECT count(*) FROM market_lifecycle")).Should().Be(1);
        (await server.CountAsync(db, "SELECT count(*) FROM market_metadata")).Should().Be(2);
    }

    private static DateTime Time(JsonElement e) =>
        DateTime.Parse(e.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static decimal? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;

    /// <summary>Npgsql reads timestamptz as UTC DateTime and numeric as decimal; trailing zeros of a decimal do not matter.</summary>
    private static object?[] Normalise(object?[] row) =>
        row.Select(v => v switch
        {
            decimal d => (object)(d / 1.000000000000000000000000000000000m),
            _ => v,
        }).ToArray();
}
