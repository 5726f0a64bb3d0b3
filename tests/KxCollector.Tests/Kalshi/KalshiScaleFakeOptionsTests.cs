using KxCollector.Fakes.Kalshi;

namespace KxCollector.Tests.Kalshi;

/// <summary>
/// <c>kxfakes kalshi</c>'s scale options are refused before anything starts when they make no sense, so a benchmark
/// script with a typo stops at once instead of measuring a different universe.
/// </summary>
public sealed class KalshiScaleFakeOptionsTests
{
    [Theory]
    [InlineData("--series 3", "need --markets")]
    [InlineData("--msg-rate 100", "need --markets")]
    [InlineData("--inject-gaps 5", "need --markets")]
    [InlineData("--markets 2 --series 3", "--markets must be at least --series")]
    [InlineData("--markets 0", "unknown option or bad value: --markets 0")]
    [InlineData("--markets 100 --msg-rate -1", "unknown option or bad value: --msg-rate -1")]
    [InlineData("--markets 100 --inject-gaps 0", "unknown option or bad value: --inject-gaps 0")]
    public async Task Nonsense_scale_options_exit_2_with_the_reason_and_the_usage(string arguments, string reason)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await KalshiCommand.RunAsync(arguments.Split(' '), output, errors);

        exit.Should().Be(2);
        errors.ToString().Should().Contain(reason).And.Contain("--markets N [--series K]");
        output.ToString().Should().BeEmpty("nothing was started");
    }
}
