using KxCollector.Cli;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Cli;

public sealed class OutageReporterTests
{
    private static readonly TimeSpan Reminder = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 23, 3, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_first_failure_is_told_then_reminders_come_at_most_once_per_interval()
    {
        var outage = new OutageReporter(_time, Reminder);
        var reports = new List<(TimeSpan At, OutageReport Report)>();

        // A failure every 7 s for 3 minutes.
        for (var at = TimeSpan.Zero; at <= TimeSpan.FromMinutes(3); at += TimeSpan.FromSeconds(7))
        {
            reports.Add((at, outage.Failed()));
            _time.Advance(TimeSpan.FromSeconds(7));
        }

        reports[0].Report.Should().Be(OutageReport.First);
        reports.Skip(1).Should().NotContain(r => r.Report == OutageReport.First, "an outage begins once");
        var reminders = reports.Where(r => r.Report == OutageReport.Reminder).Select(r => r.At).ToList();
        reminders.Should().Equal(TimeSpan.FromSeconds(63), TimeSpan.FromSeconds(126));
        outage.Failures.Should().Be(reports.Count);
    }

    [Fact]
    public void Recovery_is_told_once_with_the_outage_s_length_and_failure_count()
    {
        var outage = new OutageReporter(_time, Reminder);
        outage.Succeeded().Should().BeNull("nothing was failing");

        outage.Failed();
        _time.Advance(TimeSpan.FromSeconds(40));
        outage.Failed();
        _time.Advance(TimeSpan.FromSeconds(5));
        outage.Failed();
        _time.Advance(TimeSpan.FromSeconds(5));
        outage.Duration.Should().Be(TimeSpan.FromSeconds(50));

        outage.Succeeded().Should().Be(new Outage(TimeSpan.FromSeconds(50), 3));
        outage.Succeeded().Should().BeNull("a recovery is told once");
        outage.Failing.Should().BeFalse();
        outage.Duration.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void A_new_outage_after_a_recovery_starts_over()
    {
        var outage = new OutageReporter(_time, Reminder);
        outage.Failed();
        _time.Advance(TimeSpan.FromMinutes(5));
        outage.Succeeded();
        _time.Advance(TimeSpan.FromSeconds(1));

        outage.Failed().Should().Be(OutageReport.First);
        _time.Advance(TimeSpan.FromSeconds(59));
        outage.Failed().Should().Be(OutageReport.Quiet, "the reminder interval counts from this outage's first report");
        _time.Advance(TimeSpan.FromSeconds(1));
        outage.Failed().Should().Be(OutageReport.Reminder);
        outage.Succeeded().Should().Be(new Outage(TimeSpan.FromSeconds(60), 3));
    }
}
