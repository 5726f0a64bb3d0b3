using KxCollector.Tests.Store.Support;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Store;

/// <summary>
/// Game lines into the real PostgreSQL through `kxcollector db import`: one game_states row per game and second
/// however many series files carry the line, the game and its events beside market_metadata, and a market's
/// snapshot joined to its game's state at the same second.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class GameStatesTests(PostgresServer server) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_backtest_joins_each_snapshot_to_its_game_s_state_at_that_second_and_a_reimport_adds_nothing()
    {
        var db = await server.CreateDatabaseAsync();
        var folder = _dir.Combine("data");
        Directory.CreateDirectory(folder);
        const string Events = """["KXNFLGAME-26DEC06KCBUF","KXNFLSPREAD-26DEC06KCBUF"]""";
        string Game(int second, string details) =>
            $$$"""{"type":"game","ts":"2026-12-06T18:00:{{{second:00}}}.250Z","milestone_id":"ms-1","event_tickers":{{{Events}}},"milestone_type":"football_game","details":{{{details}}}}""";
        string Tick(string market, int second, decimal yesBid) =>
            $$$"""{"type":"tick","ts":"2026-12-06T18:00:{{{second:00}}}.001Z","markets":[{"ticker":"{{{market}}}","status":"active","yes_bid":{{{yesBid}}},"yes_ask":{{{yesBid + 1}}},"no_bid":{{{99 - yesBid}}},"no_ask":{{{100 - yesBid}}},"last_price":{{{yesBid}}},"volume":10,"open_interest":5,"strike":null,"secs_left":100,"age_ms":5,"src":"rest"}]}""";

        var game = new List<string>();
        var spread = new List<string>();
        for (var s = 0; s < 10; s++)
        {
            game.Add(Tick("KXNFLGAME-26DEC06KCBUF-KC", s, s < 6 ? 40 : 55));
            spread.Add(Tick("KXNFLSPREAD-26DEC06KCBUF-KC3", s, 30));
            if (s == 2)
            {
                game.Add(Game(2, """{"home":0,"away":0,"clock":"15:00","é":"ü"}"""));
                spread.Add(Game(2, """{"home":0,"away":0,"clock":"15:00","é":"ü"}"""));
            }

            if (s == 5)
            {
                game.Add(Game(5, """{"home":7,"away":0,"clock":"11:02","é":"ü"}"""));
                spread.Add(Game(5, """{"home":7,"away":0,"clock":"11:02","é":"ü"}"""));
            }
        }

        StoreSamples.Write(Path.Combine(folder, "kxnflgame-2026-12-06.jsonl"), game);
        StoreSamples.Write(Path.Combine(folder, "kxnflspread-2026-12-06.jsonl"), spread);

        await ImportAsync(db, folder);

        (await server.CountAsync(db, "SELECT count(*) FROM game_states")).Should().Be(2, "the same line in two series' files is one state");
        var milestone = (await server.QueryAsync(db, "SELECT milestone_type, array_to_string(event_tickers, ','), first_seen, last_seen FROM game_milestones")).Should().ContainSingle().Subject;
        milestone[0].Should().Be("football_game");
        milestone[1].Should().Be("KXNFLGAME-26DEC06KCBUF,KXNFLSPREAD-26DEC06KCBUF");
        ((DateTime)milestone[2]!).Should().Be(new DateTime(2026, 12, 6, 18, 0, 2, 250, DateTimeKind.Utc));
        ((DateTime)milestone[3]!).Should().Be(new DateTime(2026, 12, 6, 18, 0, 5, 250, DateTimeKind.Utc));
        (await server.CountAsync(db, "SELECT count(*) FROM game_events")).Should().Be(2);
        (await server.QueryAsync(db, "SELECT details::text FROM game_states ORDER BY timestamp")).Select(r => r[0]).Should()
            .Equal("""{"é": "ü", "away": 0, "home": 0, "clock": "15:00"}""", """{"é": "ü", "away": 0, "home": 7, "clock": "11:02"}""");

        // The README's query: each snapshot beside the game's latest state at or before its second.
        var joined = await server.QueryAsync(db, """
            SELECT s.timestamp, s.yes_bid, g.details->>'home'
            FROM market_snapshots s
            JOIN game_events e ON s.market_ticker LIKE e.event_ticker || '-%'
            LEFT JOIN LATERAL (
                SELECT details FROM game_states g
                WHERE g.milestone_id = e.milestone_id AND g.timestamp <= s.timestamp
                ORDER BY g.timestamp DESC LIMIT 1) g ON true
            WHERE s.market_ticker = $1
            ORDER BY s.timestamp
            """, "KXNFLGAME-26DEC06KCBUF-KC");
        joined.Select(r => r[2] as string).Should().Equal(null, null, null, "0", "0", "0", "7", "7", "7", "7");
        joined.Select(r => (decimal)r[1]!).Skip(6).Should().OnlyContain(p => p == 55m);

        await ImportAsync(db, folder);
        (await server.CountAsync(db, "SELECT count(*) FROM game_states")).Should().Be(2, "importing again adds nothing");
        (await server.CountAsync(db, "SELECT count(*) FROM game_milestones")).Should().Be(1);
    }

    private async Task ImportAsync(string db, string path)
    {
        using var import = CollectorProcess.Start(_dir.Path, new Dictionary<string, string> { ["DATABASE_URL"] = server.Url(db) }, "db", "import", path);
        (await import.WaitForExitAsync(Wait)).Should().Be(0, import.StandardError);
        import.StandardOutput.Should().Contain("0 lines skipped", "game lines are stored, not skipped as an unknown type");
    }
}
