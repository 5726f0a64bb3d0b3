using System.Text.Json;
using KxCollector.Tests.Store.Support;
using KxCollector.Tests.Support;
using KxCollector.Verification;

namespace KxCollector.Tests.Store;

/// <summary>The real daemon with DATABASE_URL set: database outages, kill -9, bad URLs. Venues are offline (null prices).</summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreProcessTests(PostgresServer server) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_database_stopped_while_recording_and_restarted_ends_with_every_line_in_it_once()
    {
        var db = await server.CreateDatabaseAsync();
        using var collector = CollectorProcess.Start(_dir.Path, Settings(db));
        await Poll.UntilAsync(() => Running(collector) && server.CountSoFar(db, "SELECT count(*) FROM index_ticks") >= 2, Wait, () => "ticks in the database; " + Output(collector));

        await server.StopAsync();
        try
        {
            // The outage lasts while the collector records a few more seconds: the database must not touch the ticks.
            var atStop = TickLines().Count;
            await Poll.UntilAsync(() => Running(collector) && TickLines().Count >= atStop + 4, Wait, () => "ticks while the database is down; " + Output(collector));
        }
        finally
        {
            await server.StartAsync();
        }

        var afterRestart = TickLines().Count;
        await Poll.UntilAsync(() => server.CountSoFar(db, "SELECT count(*) FROM index_ticks") >= afterRestart, Wait, () => "the catch-up; " + Output(collector));
        collector.SendSignal(CollectorProcess.SigTerm);
        (await collector.WaitForExitAsync(Wait)).Should().Be(0, Output(collector));

        var inFiles = TickLines().Select(TickTime).ToList();
        var inDatabase = (await server.QueryAsync(db, "SELECT timestamp FROM index_ticks ORDER BY timestamp")).Select(r => (DateTime)r[0]!).ToList();
        inDatabase.Should().Equal(inFiles, "every recorded line is in the database, once (the last batch is stored at shutdown)");
        Directory.EnumerateFiles(_dir.Combine("data"), "*.jsonl").Select(DataFileVerifier.Verify).Should().OnlyContain(r => r.MissingSeconds == 0 && r.DuplicatedSeconds == 0);
        (await server.QueryAsync(db, "SELECT rows_duplicate FROM collectors")).Single()[0].Should().Be(0L);
        collector.StandardOutput.Should().Contain($"DATABASE_URL: 127.0.0.1:{server.Port}/{db} as kx").And.Contain("JSONL recording goes on").And.Contain("reachable again");
        (collector.StandardOutput + collector.StandardError).Should().NotContain("s3cret");
    }

    [Fact]
    public async Task Kill_9_in_the_middle_of_batches_leaves_rows_and_positions_in_step_and_a_restart_stores_each_line_once()
    {
        var db = await server.CreateDatabaseAsync();
        const int backlog = 5000;
        var yesterday = _dir.Combine("data", "kxbtc15m-2026-11-20.jsonl");
        StoreSamples.Write(yesterday, Enumerable.Range(0, backlog).Select(i => StoreSamples.Tick(i - 86_400)));
        var backlogRows = $"SELECT count(*) FROM index_ticks WHERE timestamp < '{StoreSamples.Start:yyyy-MM-dd HH:mm:ss}Z'";
        var backlogPosition = "SELECT coalesce(max(line_count), 0) FROM ingest_positions WHERE file_name = 'kxbtc15m-2026-11-20.jsonl'";
        var random = new Random(20261121);

        for (var run = 0; run < 3; run++)
        {
            using var collector = CollectorProcess.Start(_dir.Path, Settings(db, ("BATCH_INSERT_SIZE", "200")));
            var before = server.CountSoFar(db, backlogRows);
            await Poll.UntilAsync(() => Running(collector) && server.CountSoFar(db, backlogRows) > before, Wait, () => $"run {run} storing the backlog; " + Output(collector));
            await Task.Delay(random.Next(0, 300));
            collector.SendSignal(CollectorProcess.SigKill);
            await collector.WaitForExitAsync(Wait);

            // Rows and positions commit together: whatever the moment of the kill, they agree.
            var rows = server.CountSoFar(db, backlogRows);
            server.CountSoFar(db, backlogPosition).Should().Be(rows, $"run {run}: the saved position covers exactly the stored lines");
            rows.Should().BeLessThan(backlog, $"run {run} was killed before the backlog was stored (make the backlog bigger if the machine got faster)");
        }

        using (var last = CollectorProcess.Start(_dir.Path, Settings(db, ("BATCH_INSERT_SIZE", "200"))))
        {
            await Poll.UntilAsync(() => Running(last) && server.CountSoFar(db, backlogRows) == backlog, Wait, () => "the backlog stored; " + Output(last));
            last.SendSignal(CollectorProcess.SigTerm);
            (await last.WaitForExitAsync(Wait)).Should().Be(0, Output(last));
        }

        var lines = TickLines();
        (await server.CountAsync(db, "SELECT count(*) FROM index_ticks")).Should().Be(lines.Count);
        var totals = (await server.QueryAsync(db, "SELECT lines_read, rows_inserted, rows_duplicate FROM collectors")).Single();
        totals.Should().Equal((long)lines.Count, (long)(backlog * 4) + (lines.Count - backlog), 0L);
    }

    [Fact]
    public async Task A_malformed_DATABASE_URL_is_reported_by_name_without_the_password_and_recording_goes_on()
    {
        using var collector = CollectorProcess.Start(_dir.Path, Settings("unused", ("DATABASE_URL", "postgres://kx:Zq9-hunter2@127.0.0.1:notaport/db")));

        await Poll.UntilAsync(() => Running(collector) && TickLines().Count >= 2 && collector.StandardOutput.Contains("DATABASE_URL", StringComparison.Ordinal), Wait, () => Output(collector));
        collector.SendSignal(CollectorProcess.SigTerm);

        (await collector.WaitForExitAsync(Wait)).Should().Be(0);
        collector.StandardOutput.Should().Contain("DATABASE_URL: the port is not a number from 1 to 65535. The database store is off until DATABASE_URL is fixed; JSONL recording goes on");
        (collector.StandardOutput + collector.StandardError).Should().NotContain("Zq9-hunter2");
    }

    [Fact]
    public async Task A_refused_login_is_reported_by_name_without_the_password_and_recording_goes_on()
    {
        var db = await server.CreateDatabaseAsync();
        using var collector = CollectorProcess.Start(_dir.Path, Settings(db, ("DATABASE_URL", server.Url(db, password: "Zq9-wrong-pass"))));

        await Poll.UntilAsync(() => Running(collector) && TickLines().Count >= 2 && collector.StandardOutput.Contains("28P01", StringComparison.Ordinal), Wait, () => Output(collector));
        collector.SendSignal(CollectorProcess.SigTerm);

        (await collector.WaitForExitAsync(Wait)).Should().Be(0);
        collector.StandardOutput.Should().Contain($"DATABASE_URL: login refused by 127.0.0.1:{server.Port}/{db} as kx (28P01: password authentication failed for user \"kx\")");
        (collector.StandardOutput + collector.StandardError).Should().NotContain("Zq9-wrong-pass");
    }

    [Fact]
    public async Task Db_migrate_creates_the_schema_and_a_refused_login_exits_78_naming_DATABASE_URL_without_the_password()
    {
        var db = await server.CreateDatabaseAsync();

        using (var ok = CollectorProcess.Start(_dir.Path, new Dictionary<string, string> { ["DATABASE_URL"] = server.Url(db) }, "db", "migrate"))
        {
            (await ok.WaitForExitAsync(Wait)).Should().Be(0, ok.StandardError);
            ok.StandardOutput.Trim().Should().Be($"127.0.0.1:{server.Port}/{db} as kx: schema now at version 5; applied 1 (market data tables), 2 (collector bookkeeping: file positions, health, logs), 3 (backfill market and candle fields), 4 (official CF Benchmarks index), 5 (games beside the markets: milestones, their events, game states)");
        }

        using var refused = CollectorProcess.Start(_dir.Path, new Dictionary<string, string> { ["DATABASE_URL"] = server.Url(db, password: "Zq9-wrong-pass") }, "db", "migrate");
        (await refused.WaitForExitAsync(Wait)).Should().Be(78);
        refused.StandardError.Trim().Should().Be($"kxcollector db migrate: DATABASE_URL: login refused by 127.0.0.1:{server.Port}/{db} as kx (28P01: password authentication failed for user \"kx\")");
        (refused.StandardOutput + refused.StandardError).Should().NotContain("Zq9-wrong-pass");
    }

    private Dictionary<string, string> Settings(string db, params (string Key, string Value)[] overrides) =>
        OfflineSettings.For(
            "./data",
            [("DATABASE_URL", server.Url(db)), ("COLLECTOR_ID", "process-test"), ("BATCH_FLUSH_SECONDS", "0.5"), .. overrides]);

    private List<string> TickLines()
    {
        var data = _dir.Combine("data");
        return Directory.Exists(data)
            ? Directory.EnumerateFiles(data, "*.jsonl").Order(StringComparer.Ordinal).SelectMany(File.ReadLines).ToList()
            : [];
    }

    private static DateTime TickTime(string line) => JsonDocument.Parse(line).RootElement.GetProperty("ts").GetDateTime().ToUniversalTime();

    private static bool Running(CollectorProcess process) =>
        !process.HasExited ? true : throw new InvalidOperationException("the collector exited: " + Output(process));

    private static string Output(CollectorProcess process) => $"stdout: {process.StandardOutput} stderr: {process.StandardError}";
}
