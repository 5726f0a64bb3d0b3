using KxCollector.Store;
using KxCollector.Store.Logging;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Store;

public sealed class OutboxTests
{
    [Fact]
    public void A_full_outbox_drops_its_oldest_items_and_counts_them()
    {
        var outbox = new Outbox<int>(capacity: 3);
        for (var i = 1; i <= 5; i++)
        {
            outbox.Add(_ => i);
        }

        outbox.Peek(10).Items.Should().Equal(3, 4, 5);
        outbox.Dropped.Should().Be(2);
    }

    [Fact]
    public void Items_leave_only_when_their_write_is_confirmed()
    {
        var outbox = new Outbox<string>(capacity: 10);
        outbox.Add(_ => "a");
        outbox.Add(_ => "b");
        var (items, last) = outbox.Peek(10);
        outbox.Add(_ => "c");

        outbox.RemoveThrough(last);

        items.Should().Equal("a", "b");
        outbox.Peek(10).Items.Should().Equal("c");
    }

    [Fact]
    public void The_log_provider_queues_warnings_and_errors_only()
    {
        var outbox = new Outbox<LogRow>(capacity: 10);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 17, 0, 0, TimeSpan.Zero));
        using var provider = new StoreLoggerProvider(outbox, time);
        var logger = provider.CreateLogger("KxCollector.Recording.DailyJsonlWriter");

        logger.LogInformation("fine");
        logger.Log(LogLevel.Warning, new EventId(310), "disk {State}", "full");
        logger.LogError(new IOException("ENOSPC"), "cannot write");

        var rows = outbox.Peek(10).Items;
        rows.Select(r => (r.Level, r.EventId, r.Message)).Should().Equal(("warning", 310, "disk full"), ("error", 0, "cannot write"));
        rows[0].Category.Should().Be("KxCollector.Recording.DailyJsonlWriter");
        rows[0].Timestamp.Should().Be(new DateTime(2026, 11, 21, 17, 0, 0, DateTimeKind.Utc));
        rows[1].Exception.Should().Contain("ENOSPC");
        rows.Select(r => r.Seq).Should().Equal(1L, 2L);
    }
}
