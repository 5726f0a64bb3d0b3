using System.IO.Compression;
using KxCollector.Tests.Store.Support;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Store;

/// <summary>`kxcollector db import` as a process: plain and .gz files, folders, idempotence, progress lines.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ImportCommandTests(PostgresServer server) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly string[] Tables = ["index_ticks", "market_snapshots", "orderbook_depth", "trades", "settlements", "market_lifecycle", "market_metadata"];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Importing_the_same_files_twice_gives_the_same_row_counts()
    {
        var db = await server.CreateDatabaseAsync();
        var history = _dir.Combine("history");
        var today = Path.Combine(history, "kxbtc15m-2026-11-21.jsonl");
        StoreSamples.Write(today, StoreSamples.Lines(300));
        await File.AppendAllTextAsync(today, "{\"type\":\"tick\",\"ts\":\"2026-11-21T17:05:00.0");
        var older = StoreSamples.Lines(200, firstSecond: -86_400);
        await using (var gz = new GZipStream(File.Create(Path.Combine(history, "kxbtc15m-2026-11-20.jsonl.gz")), CompressionLevel.Fastest))
        await using (var text = new StreamWriter(gz))
        {
            foreach (var line in older)
            {
                await text.WriteAsync(line + "\n");
            }
        }

        var first = await ImportAsync(db, history);
        var counts = await CountsAsync(db);
        var second = await ImportAsync(db, history);

        (await CountsAsync(db)).Should().Equal(counts, "the second import adds nothing");
        // Both files settle the same market: one settlement row, the second one found already present.
        counts.Should().Equal(500, 1000, 500, 30, 1, 2, 2);
        first.StandardOutput.Should().Contain("Imported 2 file(s): 536 lines, 2,033 new rows, 1 already present; 2 lines skipped (0 unparseable, 2 of an unknown type, 0 missing a key field); 1 unfinished last line(s) left out");
        second.StandardOutput.Should().Contain("Imported 2 file(s): 536 lines, 0 new rows, 2,034 already present");
        first.StandardError.Should().Contain("import: 100.0% (", "without a terminal, progress comes as plain lines");
    }

    [Fact]
    public async Task A_path_that_does_not_exist_is_a_usage_error()
    {
        using var import = CollectorProcess.Start(_dir.Path, new Dictionary<string, string> { ["DATABASE_URL"] = server.Url("postgres") }, "db", "import", _dir.Combine("nope"));

        (await import.WaitForExitAsync(Wait)).Should().Be(2);
        import.StandardError.Trim().Should().Be($"kxcollector db import: no such file or folder: {_dir.Combine("nope")}");
    }

    private async Task<CollectorProcess> ImportAsync(string db, string path)
    {
        var import = CollectorProcess.Start(_dir.Path, new Dictionary<string, string> { ["DATABASE_URL"] = server.Url(db) }, "db", "import", path);
        (await import.WaitForExitAsync(Wait)).Should().Be(0, import.StandardError);
        import.Dispose();
        return import;
    }

    private async Task<List<long>> CountsAsync(string db)
    {
        var counts = new List<long>();
        foreach (var table in Tables)
        {
            counts.Add(await server.CountAsync(db, $"SELECT count(*) FROM {table}"));
        }

        return counts;
    }
}
