using KxCollector.Hosting;
using KxCollector.Cli;

namespace KxCollector.Tests.Hosting;

public sealed class JournalPrefixTests
{
    [Fact]
    public void Under_journald_each_line_starts_with_its_syslog_priority()
    {
        var output = new StringWriter();
        using (var logger = LoggingSetup.Create(debug: true, journal: true, output))
        {
            logger.Debug("d");
            logger.Information("i");
            logger.Warning("w");
            logger.Error("e");
            logger.Fatal("f");
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Select(l => l[..3]).Should().Equal("<7>", "<6>", "<4>", "<3>", "<2>");
        lines[1].Should().MatchRegex(@"^<6>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INF kxcollector: i$");
    }

    [Fact]
    public void Without_journald_lines_have_no_prefix()
    {
        var output = new StringWriter();
        using (var logger = LoggingSetup.Create(debug: false, journal: false, output))
        {
            logger.Warning("w");
        }

        output.ToString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WRN kxcollector: w\n$");
    }
}
