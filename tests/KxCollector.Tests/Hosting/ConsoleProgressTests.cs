using Microsoft.Extensions.Time.Testing;
using KxCollector.Cli;

namespace KxCollector.Tests.Hosting;

public sealed class ConsoleProgressTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 21, 20, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task On_a_terminal_stopping_draws_the_final_bar_once_in_place_and_ends_its_line()
    {
        using var output = new StringWriter();
        var draws = 0;
        var display = new ConsoleProgress(output, terminal: true, TimeSpan.FromSeconds(5), Time, _ => $"bar {++draws}");

        await display.StopAsync();
        await display.DisposeAsync();

        output.ToString().Should().Be("\rbar 1" + Environment.NewLine);
    }

    [Fact]
    public async Task Redirected_a_last_plain_line_is_printed_only_when_asked_for()
    {
        using var output = new StringWriter();
        await using (var quiet = new ConsoleProgress(output, terminal: false, TimeSpan.FromSeconds(5), Time, _ => "quiet"))
        {
            await quiet.StopAsync();
        }

        await using (var last = new ConsoleProgress(output, terminal: false, TimeSpan.FromSeconds(5), Time, _ => "import: 100.0%"))
        {
            await last.StopAsync(lastLine: true);
        }

        output.ToString().Should().Be("import: 100.0%" + Environment.NewLine);
    }

    [Fact]
    public void The_bar_shows_the_share_done_and_clamps_what_is_out_of_range()
    {
        ConsoleProgress.Bar(0.25, 8).Should().Be("[##------]  25.0%");
        ConsoleProgress.Bar(1.5, 4).Should().Be("[####] 100.0%");
        ConsoleProgress.Bar(double.NaN, 4).Should().Be("[----]   0.0%");
    }

    [Fact]
    public void Durations_read_as_seconds_minutes_or_hours()
    {
        ConsoleProgress.Duration(TimeSpan.FromSeconds(12.5)).Should().Be("12.5s");
        ConsoleProgress.Duration(TimeSpan.FromSeconds(187)).Should().Be("3m07s");
        ConsoleProgress.Duration(new TimeSpan(2, 5, 9)).Should().Be("2h05m09s");
    }
}
