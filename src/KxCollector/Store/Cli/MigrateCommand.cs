using KxCollector.Hosting;
using KxCollector.Store.Schema;
using KxCollector.Cli;

namespace KxCollector.Store.Cli;

internal static class MigrateCommand
{
    public static async Task<int> RunAsync(string? envFile, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var store = await DbSession.LoadAsync("db migrate", envFile, errors);
        if (store?.Target is not { } target)
        {
            return ExitCodes.Config;
        }

        await using var dataSource = target.CreateDataSource();
        MigrationReport report;
        try
        {
            report = await SchemaMigrator.MigrateAsync(dataSource, Migrations.All, ct);
        }
        catch (Exception ex) when (DatabaseErrors.IsDatabaseFailure(ex))
        {
            return await DbSession.FailAsync("db migrate", ex, target, errors);
        }

        await output.WriteLineAsync(report.Applied.Count == 0
            ? $"{target.Description}: schema already at version {report.Version}"
            : $"{target.Description}: schema now at version {report.Version}; applied {string.Join(", ", report.Applied.Select(m => $"{m.Version} ({m.Name})"))}");
        if (report.Unknown.Count > 0)
        {
            await errors.WriteLineAsync($"kxcollector db migrate: the database has version(s) {string.Join(", ", report.Unknown)} that this build does not know (a newer collector migrated it)");
        }

        if (report.Edited.Count > 0)
        {
            await errors.WriteLineAsync($"kxcollector db migrate: migration(s) {string.Join(", ", report.Edited)} differ from the ones applied to this database");
        }

        return ExitCodes.Ok;
    }
}
