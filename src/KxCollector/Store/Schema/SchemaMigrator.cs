using Npgsql;

namespace KxCollector.Store.Schema;

/// <summary>
/// Brings the schema up to the newest <see cref="Migration"/>. Everything runs in one transaction that first takes
/// a transaction-scoped advisory lock, so collectors starting together against one database apply each step once
/// (the others wait, then find it done), and a failed step leaves the schema exactly as it was. The lock is
/// transaction-scoped rather than session-scoped because, through a transaction pooler, a session lock could be
/// left held on a server connection that other clients then use.
/// </summary>
internal static class SchemaMigrator
{
    /// <summary>The advisory lock every KxCollector agrees on ("KXCOLLEC" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x4B58_434F_4C4C_4543;

    public static async Task<MigrationReport> MigrateAsync(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            ALTER TABLE schema_migrations ENABLE ROW LEVEL SECURITY
            """, ct);

        var applied = new Dictionary<int, string>();
        await using (var read = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                applied[reader.GetInt32(0)] = reader.GetString(1);
            }
        }

        var newlyApplied = new List<Migration>();
        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            if (applied.ContainsKey(migration.Version))
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, ct);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Checksum });
            await record.ExecuteNonQueryAsync(ct);
            newlyApplied.Add(migration);
        }

        await transaction.CommitAsync(ct);

        var known = migrations.ToDictionary(m => m.Version);
        var edited = applied.Where(a => known.TryGetValue(a.Key, out var m) && m.Checksum != a.Value).Select(a => a.Key).Order().ToList();
        var unknown = applied.Keys.Where(v => !known.ContainsKey(v)).Order().ToList();
        var current = applied.Keys.Concat(newlyApplied.Select(m => m.Version)).DefaultIfEmpty(0).Max();
        return new MigrationReport(current, newlyApplied, edited, unknown);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <param name="Version">The schema version now in the database.</param>
/// <param name="Applied">Steps this run applied (empty when the schema was already current).</param>
/// <param name="Edited">Applied versions whose text differs from this build's: someone edited a shipped migration.</param>
/// <param name="Unknown">Versions in the database this build does not know: a newer collector migrated it.</param>
internal sealed record MigrationReport(int Version, IReadOnlyList<Migration> Applied, IReadOnlyList<int> Edited, IReadOnlyList<int> Unknown);
