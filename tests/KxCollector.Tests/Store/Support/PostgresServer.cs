using KxCollector.Tests.Support;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace KxCollector.Tests.Store.Support;

/// <summary>
/// A private PostgreSQL server for the store tests: initdb into a temp folder, listening on 127.0.0.1 at a free
/// port, password logins only (so a wrong password is really refused). PostgreSQL refuses to run as root, so when
/// the tests run as root (CI) the server runs as the "postgres" user via runuser. One server serves every test in
/// <see cref="PostgresCollection"/>; each test makes its own database. Durability is off (fsync, full pages):
/// these tests are about what the store does, not about the server's crash safety.
/// </summary>
public sealed partial class PostgresServer : IAsyncLifetime
{
    public const string User = "kx";

    /// <summary>Holds characters that must be escaped in a URL, so the tests exercise DATABASE_URL parsing for real.</summary>
    public const string Password = "s3cret/pa?ss#word@kx";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private string _root = string.Empty;
    private string _binaries = string.Empty;
    private bool _runAsPostgres;
    private int _databases;

    public int Port { get; private set; }

    public string DataDirectory => Path.Combine(_root, "data");

    public string LogFile => Path.Combine(_root, "server.log");

    public async Task InitializeAsync()
    {
        _binaries = FindBinaries();
        _runAsPostgres = GetEffectiveUserId() == 0;
        _root = Path.Combine(Path.GetTempPath(), "kxpg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(_root);
        var passwordFile = Path.Combine(_root, "pw");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (_runAsPostgres)
        {
            await RunAsync("chown", "-R", "postgres:postgres", _root);
        }

        await RunServerToolAsync("initdb", "-D", DataDirectory, "-U", User, "--pwfile=" + passwordFile, "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync");
        File.Delete(passwordFile);
        Port = FreePorts.Loopback();
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunServerToolAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    public Task StartAsync() => RunServerToolAsync(
        "pg_ctl", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o",
        $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=80 -c shared_buffers=32MB",
        "start");

    /// <summary>A fast shutdown: open connections are cut, as in an outage.</summary>
    public Task StopAsync() => RunServerToolAsync("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");

    /// <summary>A fresh, empty database; returns its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..6]}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>An Npgsql connection string for the tests' own queries (no pooling: the server is stopped in some tests).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = User,
            Password = Password,
            Database = database,
            Pooling = false,
        }.ConnectionString;

    /// <summary>DATABASE_URL as Supabase shows it: a postgres:// URI with the password escaped.</summary>
    public string Url(string database, string? password = null) =>
        $"postgres://{User}:{Uri.EscapeDataString(password ?? Password)}@127.0.0.1:{Port}/{database}?sslmode=disable";

    public async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>For polling while the store may not have created its tables yet: a missing table counts 0.</summary>
    public long CountSoFar(string database, string sql)
    {
        try
        {
            return CountAsync(database, sql).GetAwaiter().GetResult();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    public async Task<List<object?[]>> QueryAsync(string database, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static string FindBinaries()
    {
        var overridden = Environment.GetEnvironmentVariable("KX_PG_BIN");
        if (!string.IsNullOrEmpty(overridden))
        {
            return overridden;
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (run .ci/setup.d/50-postgresql.sh, or set KX_PG_BIN)");
    }


    private Task RunServerToolAsync(string tool, params string[] args)
    {
        var path = Path.Combine(_binaries, tool);
        return _runAsPostgres ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args]) : RunAsync(path, args);
    }

    private async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,

            // The server's working directory must be readable by the postgres user.
            WorkingDirectory = "/",
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(20)) : string.Empty;
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr} {await stdout}\n{log}");
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
