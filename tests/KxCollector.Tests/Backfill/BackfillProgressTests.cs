using KxCollector.Backfill;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Backfill;

public sealed class BackfillProgressTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Redirected_output_gets_one_plain_line_every_10_seconds_with_rate_and_eta_then_a_summary()
    {
        var time = new SteppableTimeProvider(Start);
        var stats = new BackfillStats();
        stats.AddUnits(40);
        using var output = new StringWriter();
        var requests = 0L;
        var progress = new BackfillProgress("KXBTC15M", stats, () => (requests, 2), output, terminal: false, time);
        progress.Start();
        await time.WaitForChangesAsync(1);

        for (var i = 0; i < 10; i++)
        {
            stats.UnitDone();
        }

        stats.Wrote("trades", 250, 0);
        requests = 50;
        time.Advance(TimeSpan.FromSeconds(9.9));
        output.ToString().Should().BeEmpty("no line before 10 s");
        time.Advance(TimeSpan.FromSeconds(0.1));

        // Disposing waits for the display loop, which first finishes the line the timer has just asked for.
        await progress.DisposeAsync();

        output.ToString().Should().Be("backfill KXBTC15M: 10/40 units, 0 markets, 250 trades, 0 candles, 50 requests (5.0/s), 2 retries, ETA 30.0s" + Environment.NewLine);
        progress.Summary("done").Should().Be("backfill KXBTC15M done: 0 markets, 250 trades, 0 candles written; 10/40 units; 50 requests, 2 retries; elapsed 10.0s");
    }

    [Fact]
    public void A_terminal_gets_a_bar_with_the_share_done()
    {
        var time = new SteppableTimeProvider(Start);
        var stats = new BackfillStats();
        stats.AddUnits(4);
        stats.UnitSkipped();
        var progress = new BackfillProgress("KXBTC15M", stats, () => (0, 0), TextWriter.Null, terminal: true, time);

        progress.Line().Should().StartWith("KXBTC15M [######------------------]  25.0% 1/4 units");
    }
}
