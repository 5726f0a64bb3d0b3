using KxCollector.Store.Cli;
using KxCollector.Store.Schema;
using Npgsql;

namespace KxCollector.Tests.Store.Support;

/// <summary>`db import` of files into a fresh database, asserting that every line was understood.</summary>
public static class StoreImport
{
    public static async Task ImportCleanAsync(PostgresServer server, string db, params string[] files)
    {
        ArgumentNullException.ThrowIfNull(server);
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString(db));
        await SchemaMigrator.MigrateAsync(dataSource, Migrations.All, CancellationToken.None);
        var importer = new Importer(files, Importer.DefaultBatchSize);
        await importer.RunAsync(dataSource, CancellationToken.None);
        importer.Failures.Should().BeEmpty();
        var summary = importer.Summary;
        (summary.Unparseable, summary.UnknownType, summary.Rejected, summary.IncompleteLines).Should().Be((0, 0, 0, 0));
    }
}
