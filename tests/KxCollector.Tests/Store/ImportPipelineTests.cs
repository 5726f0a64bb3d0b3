using System.Globalization;
using System.Text.RegularExpressions;
using KxCollector.Store.Cli;
using KxCollector.Store.Schema;
using KxCollector.Tests.Store.Support;
using KxCollector.Tests.Support;
using Npgsql;

namespace KxCollector.Tests.Store;

/// <summary>
/// `db import` with its writers side by side: the markets merge in file order whichever writer is faster; killed in the
/// middle and run again it stores every row once; a row the server refuses stops it with the file and lines named.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ImportPipelineTests(PostgresServer server) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);

    private static readonly string[] Tables =
        ["index_ticks", "market_snapshots", "orderbook_depth", "trades", "settlements", "market_lifecycle", "market_metadata"];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_import_killed_mid_batch_and_run_again_stores_every_row_once_and_merges_like_one_writer()
    {
        var file = _dir.Combine("history", "kxbtc15m-2026-11-21.jsonl");
        StoreSamples.Write(file, LinesWithMovingCloseTimes(6_000));
        var reference = await server.CreateDatabaseAsync();
        await ImportInProcessAsync(reference, file, batchSize: Importer.DefaultBatchSize, writers: 1);
        var expected = await ContentsAsync(reference);

        var db = await server.CreateDatabaseAsync();
        var env = new Dictionary<string, string> { ["DATABASE_URL"] = server.Url(db) };
        using (var import = CollectorProcess.Start(_dir.Path, env, "db", "import", "--batch-size", "40", file))
        {
            await Poll.UntilAsync(() => server.CountSoFar(db, "SELECT count(*) FROM market_snapshots") > 0, Wait, "the first batches to commit");
            import.SendSignal(CollectorProcess.SigKill);
            await import.WaitForExitAsync(Wait);
        }

        (await server.CountAsync(db, "SELECT count(*) FROM market_snapshots")).Should()
            .BeLessThan(expected.Counts[1], "the import was killed before it finished");

        using (var again = CollectorProcess.Start(_dir.Path, env, "db", "import", "--batch-size", "40", file))
        {
            (await again.WaitForExitAsync(Wait)).Should().Be(0, again.StandardError);
        }

        var contents = await ContentsAsync(db);
        contents.Counts.Should().Equal(expected.Counts, "every row once: none lost to the kill, none doubled by the second run");
        contents.Metadata.Should().BeEquivalentTo(expected.Metadata, o => o.WithStrictOrdering(), "each market's newest close time wins, as with one writer");
    }

    [Fact]
    public async Task A_row_the_server_refuses_stops_the_import_naming_the_file_and_its_lines()
    {
        var file = _dir.Combine("history", "kxbtc15m-2026-11-21.jsonl");
        var lines = StoreSamples.Lines(600);

        // PostgreSQL text cannot hold U+0000, which JSON can spell: the parser takes the line, the server refuses it.
        lines[450] = StoreSamples.Trade(9_999, ticker: "KXBTC15M-BAD\u0000X");
        StoreSamples.Write(file, lines);
        var db = await server.CreateDatabaseAsync();

        using var import = CollectorProcess.Start(_dir.Path, new Dictionary<string, string> { ["DATABASE_URL"] = server.Url(db) }, "db", "import", "--batch-size", "200", file);

        (await import.WaitForExitAsync(Wait)).Should().NotBe(0);
        import.StandardError.Should().MatchRegex(
            $@"kxcollector db import: writing the rows of {Regex.Escape(file)} lines (\d+)-(\d+): DATABASE_URL: .* answered 22");
        var range = Regex.Match(import.StandardError, @"lines (\d+)-(\d+)");
        int.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture).Should().BeLessThanOrEqualTo(451);
        int.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(451);
        import.StandardError.Should().NotContain("cannot connect");
    }

    [Fact]
    public async Task A_small_batch_after_a_big_one_merges_its_market_after_it()
    {
        // Batch 1: ticks, then a lifecycle line moving market B's close time to T1; batch 2: only the line moving it
        // on to T2. The second writer is done with batch 2's rows long before the first is done with batch 1's.
        const int ticks = 9_999;
        var lines = Enumerable.Range(0, ticks).Select(i => StoreSamples.Tick(i)).ToList();
        lines.Add(CloseTimeMoved(ticks, StoreSamples.Start.AddHours(1)));
        lines.Add(CloseTimeMoved(ticks + 1, StoreSamples.Start.AddHours(2)));
        var file = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        StoreSamples.Write(file, lines);
        var db = await server.CreateDatabaseAsync();

        await ImportInProcessAsync(db, file, batchSize: (ticks * 4) + 1, writers: 2);

        var close = await server.QueryAsync(db, "SELECT close_time FROM market_metadata WHERE market_ticker = $1", StoreSamples.MarketB);
        close.Single()[0].Should().Be(StoreSamples.Start.AddHours(2), "the newer line's close time wins, whichever writer finished first");
    }

    private static string CloseTimeMoved(int second, DateTime close) =>
        StoreSamples.Lifecycle(second, StoreSamples.MarketB, "close_date_updated")
            .Replace("\"close_ts\":\"2026-11-21T17:15:00Z\"", $"\"close_time\":\"{StoreSamples.Ts(close)}\"", StringComparison.Ordinal);

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    public async Task Writers_outside_1_to_16_are_a_usage_error(string writers)
    {
        var file = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        StoreSamples.Write(file, StoreSamples.Lines(5));
        using var import = CollectorProcess.Start(_dir.Path, new Dictionary<string, string> { ["DATABASE_URL"] = server.Url("postgres") }, "db", "import", "--writers", writers, file);

        (await import.WaitForExitAsync(Wait)).Should().Be(2);
        import.StandardError.Trim().Should().Be("kxcollector db import: --writers must be from 1 to 16");
    }

    /// <summary>The samples, and a lifecycle line every 50 s that moves market B's close time on by a minute.</summary>
    private static List<string> LinesWithMovingCloseTimes(int seconds)
    {
        var lines = StoreSamples.Lines(seconds);
        for (var i = 50; i < seconds; i += 50)
        {
            lines.Add(CloseTimeMoved(i, StoreSamples.Start.AddMinutes(30 + (i / 50))));
        }

        return lines;
    }

    private async Task ImportInProcessAsync(string db, string file, int batchSize, int writers)
    {
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString(db));
        await SchemaMigrator.MigrateAsync(dataSource, Migrations.All, CancellationToken.None);
        var importer = new Importer([file], batchSize, writers);
        await importer.RunAsync(dataSource, CancellationToken.None);
        importer.Failures.Should().BeEmpty();
    }

    private async Task<(List<long> Counts, List<object?[]> Metadata)> ContentsAsync(string db)
    {
        var counts = new List<long>();
        foreach (var table in Tables)
        {
            counts.Add(await server.CountAsync(db, $"SELECT count(*) FROM {table}"));
        }

        var metadata = await server.QueryAsync(
            db,
            """
            SELECT market_ticker, series_ticker, status, status_at, strike, strike_at, close_time, result, expiration_value,
                   settled_at, last_event, last_event_at, first_seen, last_seen
            FROM market_metadata ORDER BY market_ticker
            """);
        return (counts, metadata);
    }
}
