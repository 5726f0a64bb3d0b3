using KxCollector.Configuration;
using KxCollector.Hosting;
using KxCollector.Kalshi.Games;
using KxCollector.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KxCollector.Tests.Sports;

/// <summary>
/// The game loop of a daemon that records no series with games (KXBTC15M alone, the first users' setup) arms no timer:
/// it used to wake every GAME_POLL_SECONDS to find nothing to do, a timer wake and a thread-pool hop each time.
/// </summary>
public sealed class GameServiceWaitTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task With_no_series_that_has_games_the_game_loop_arms_no_timer_however_long_it_runs()
    {
        var time = new SteppableTimeProvider(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        var kalshi = new KalshiOptions
        {
            Environment = "demo",
            ApiBaseUrl = new Uri("http://127.0.0.1:9/trade-api/v2"),
            WebSocketUrl = new Uri("ws://127.0.0.1:9/trade-api/ws/v2"),
        };
        var options = CollectorTestHost.Options(_dir.Path, kalshi, series: ["KXBTC15M"]);
        using var host = CollectorHost.CreateBuilder(options, new Serilog.LoggerConfiguration().CreateLogger(), time).Build();
        var games = host.Services.GetRequiredService<GameService>();
        var armedBefore = time.Changes;

        await games.StartAsync(CancellationToken.None);

        // The loop runs on a pool thread: let it reach its first wait. From there a timer the fake clock fires runs
        // the next pass inside Advance, so a loop that still woke every poll interval would arm a timer per step.
        SpinWait.SpinUntil(() => games.Passes >= 1, TimeSpan.FromSeconds(10)).Should().BeTrue("the loop makes its first pass at start");
        for (var i = 0; i < 120; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
        }

        time.Changes.Should().Be(armedBefore, "ten minutes with no series that has games: not one timer armed");
        games.Passes.Should().Be(1, "and the loop never woke");
        await games.StopAsync(CancellationToken.None);
    }
}
