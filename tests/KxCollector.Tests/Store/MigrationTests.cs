using KxCollector.Store;
using KxCollector.Store.Schema;
using KxCollector.Tests.Store.Support;
using Npgsql;
using KxCollector.Configuration;

namespace KxCollector.Tests.Store;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresServer server)
{
    private static readonly string[] Tables =
    [
        "collection_health", "collectors", "data_collection_logs", "game_events", "game_milestones", "game_states", "historical_prices", "index_ticks", "ingest_positions",
        "market_lifecycle", "market_metadata", "market_snapshots", "official_index_prints", "orderbook_depth", "schema_migrations", "settlements", "trades",
    ];

    [Fact]
    public async Task Migrations_on_an_empty_database_create_every_table_and_record_each_version()
    {
        var db = await server.CreateDatabaseAsync();
        await using var source = DataSource(db);

        var report = await SchemaMigrator.MigrateAsync(source, Migrations.All, CancellationToken.None);

        report.Version.Should().Be(Migrations.LatestVersion);
        report.Applied.Select(m => m.Version).Should().Equal(Migrations.All.Select(m => m.Version));
        (await TableNamesAsync(db)).Should().Equal(Tables);
        var versions = await server.QueryAsync(db, "SELECT version, name, checksum FROM schema_migrations ORDER BY version");
        versions.Select(v => ((int)v[0]!, (string)v[1]!, (string)v[2]!)).Should().Equal(Migrations.All.Select(m => (m.Version, m.Name, m.Checksum)));
    }

    [Fact]
    public async Task Every_table_has_row_level_security_so_a_Supabase_anon_key_cannot_reach_it()
    {
        var db = await server.CreateDatabaseAsync();
        await using var source = DataSource(db);
        await SchemaMigrator.MigrateAsync(source, Migrations.All, CancellationToken.None);

        var open = await server.QueryAsync(db, "SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND NOT relrowsecurity");

        open.Should().BeEmpty();
        (await TableNamesAsync(db)).Should().HaveCount(Tables.Length);
    }

    [Fact]
    public async Task Migrations_run_again_apply_nothing_and_keep_the_data()
    {
        var db = await server.CreateDatabaseAsync();
        await using var source = DataSource(db);
        await SchemaMigrator.MigrateAsync(source, Migrations.All, CancellationToken.None);
        await server.QueryAsync(db, "INSERT INTO trades (trade_id, market_ticker, timestamp) VALUES ('t1', 'M-1', now()) RETURNING 1");

        var again = await SchemaMigrator.MigrateAsync(source, Migrations.All, CancellationToken.None);

        again.Applied.Should().BeEmpty();
        again.Version.Should().Be(Migrations.LatestVersion);
        again.Edited.Should().BeEmpty();
        (await server.CountAsync(db, "SELECT count(*) FROM trades")).Should().Be(1);
        (await server.CountAsync(db, "SELECT count(*) FROM schema_migrations")).Should().Be(Migrations.All.Count);
    }

    [Fact]
    public async Task An_older_schema_is_upgraded_by_the_steps_it_lacks_only()
    {
        var db = await server.CreateDatabaseAsync();
        await using var source = DataSource(db);
        await SchemaMigrator.MigrateAsync(source, Migrations.All.Take(1).ToList(), CancellationToken.None);
        (await TableNamesAsync(db)).Should().NotContain("ingest_positions");

        var upgrade = await SchemaMigrator.MigrateAsync(source, Migrations.All, CancellationToken.None);

        upgrade.Applied.Select(m => m.Version).Should().Equal(Migrations.All.Skip(1).Select(m => m.Version));
        (await TableNamesAsync(db)).Should().Equal(Tables);
    }

    [Fact]
    public async Task Collectors_migrating_one_database_at_the_same_moment_apply_each_step_once()
    {
        var db = await server.CreateDatabaseAsync();
        var sources = Enumerable.Range(0, 4).Select(_ => DataSource(db)).ToList();
        try
        {
            var reports = await Task.WhenAll(sources.Select(s => SchemaMigrator.MigrateAsync(s, Migrations.All, CancellationToken.None)));

            reports.SelectMany(r => r.Applied).Select(m => m.Version).Should().Equal(Migrations.All.Select(m => m.Version), "each step is applied by exactly one of them");
            reports.Should().OnlyContain(r => r.Version == Migrations.LatestVersion);
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_collector_is_reported_not_refused()
    {
        var db = await server.CreateDatabaseAsync();
        await using var source = DataSource(db);
        await SchemaMigrator.MigrateAsync(source, Migrations.All, CancellationToken.None);
        await server.QueryAsync(db, "INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'from the future', 'x') RETURNING 1");
        await server.QueryAsync(db, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1 RETURNING 1");

        var report = await SchemaMigrator.MigrateAsync(source, Migrations.All, CancellationToken.None);

        report.Unknown.Should().Equal(999);
        report.Edited.Should().Equal(1);
        report.Version.Should().Be(999);
    }

    [Fact]
    public async Task The_snapshot_table_derives_mid_price_and_spread()
    {
        var db = await server.CreateDatabaseAsync();
        await using var source = DataSource(db);
        await SchemaMigrator.MigrateAsync(source, Migrations.All, CancellationToken.None);

        var rows = await server.QueryAsync(db, """
            INSERT INTO market_snapshots (market_ticker, timestamp, yes_bid, yes_ask) VALUES
                ('M-1', '2026-11-21T17:00:05.001Z', 5.6, 5.7), ('M-1', '2026-11-21T17:00:06.001Z', 5.65, null)
            RETURNING mid_price, spread
            """);

        rows[0].Should().Equal(5.65m, 0.1m);
        rows[1].Should().Equal(new object?[] { null, null }, "an absent ask leaves both unknown");
    }

    private NpgsqlDataSource DataSource(string db) => DatabaseUrl.Parse(server.Url(db)).CreateDataSource();

    private async Task<List<string>> TableNamesAsync(string db) =>
        (await server.QueryAsync(db, "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"))
            .Select(r => (string)r[0]!).ToList();
}
