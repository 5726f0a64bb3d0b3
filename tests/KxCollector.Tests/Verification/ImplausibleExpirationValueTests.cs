using KxCollector.Hosting;
using KxCollector.Tests.Support;
using KxCollector.Verification;
using KxCollector.Cli;

namespace KxCollector.Tests.Verification;

/// <summary>
/// Builds before issue 12 wrote the stream's payout (1 dollar) as a KXBTC15M settlement's expiration_value:
/// verify finds those lines, and counts them corrected once `backfill --what markets` has fetched REST's value.
/// </summary>
public sealed class ImplausibleExpirationValueTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_BRTI_settlement_with_an_expiration_value_of_one_is_a_problem_until_a_backfilled_market_record_corrects_it()
    {
        Write("kxbtc15m-2026-11-20.jsonl",
            Settlement("KXBTC15M-26NOV201215-15", "1"),
            Settlement("KXBTC15M-26NOV201230-30", "65776.62"),
            Settlement("KXNFLGAME-26NOV22KCBUF-KC", "1"));

        var (exit, output) = await VerifyAsync();

        exit.Should().Be(ExitCodes.ProblemsFound, output);
        output.Should().Contain("1 settlement line(s) of a BRTI series with expiration_value ≤ 1000")
            .And.Contain("kxcollector backfill --what markets")
            .And.Contain("to re-fetch: KXBTC15M-26NOV201215-15")
            .And.NotContain("KXBTC15M-26NOV201230-30", "a real index value is fine")
            .And.NotContain("to re-fetch: KXNFLGAME", "a game's expiration_value is no index");

        Directory.CreateDirectory(_dir.Combine("backfill", "KXBTC15M"));
        File.WriteAllText(_dir.Combine("backfill", "KXBTC15M", "kxbtc15m-markets-2026-11-20.jsonl"),
            """{"type":"market","ts":"2026-11-20T17:15:00.000Z","ticker":"KXBTC15M-26NOV201215-15","event_ticker":"KXBTC15M-26NOV201215","status":"finalized","open_time":"2026-11-20T17:00:00.000Z","close_time":"2026-11-20T17:15:00.000Z","settlement_ts":"2026-11-20T17:15:11.000Z","result":"yes","expiration_value":65700.12,"strike":65600,"cap_strike":null,"last_price":99,"volume":10,"open_interest":5,"src":"backfill"}""" + "\n");

        (exit, output) = await VerifyAsync();

        exit.Should().Be(ExitCodes.Ok, output);
        output.Should().Contain("settlements with an implausible expiration_value: 1, corrected by a backfilled market record: 1");
    }

    private async Task<(int Exit, string Output)> VerifyAsync()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await VerifyCommand.RunAsync([_dir.Path], json: false, envFile: null, output, errors);
        return (exit, output + errors.ToString());
    }

    private static string Settlement(string ticker, string expirationValue) =>
        $$"""{"type":"settlement","ts":"2026-11-20T17:15:12.000Z","ticker":"{{ticker}}","close_time":"2026-11-20T17:15:00.000Z","result":"yes","expiration_value":{{expirationValue}},"strike":65600,"brti_avg60":65701.5,"brti_samples":60}""";

    private void Write(string name, params string[] lines) => File.WriteAllLines(_dir.Combine(name), lines);
}
