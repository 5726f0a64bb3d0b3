using System.Text;
using System.Text.Json;
using KxCollector.Feeds;
using KxCollector.Recording;
using Microsoft.Extensions.Hosting;

namespace KxCollector.Store.Health;

/// <summary>
/// Once a minute, puts a <see cref="HealthRow"/> for collection_health into the store's outbox: ticks written and
/// missing, feed states and reconnects, the JSONL writer's backlog and the store's own progress and lag. Only reads
/// counters; the store writes the rows with its next batch (and keeps them while the database is away).
/// </summary>
internal sealed class HealthSampler : BackgroundService
{
    /// <summary>Sampled just past each whole minute, after that minute's last tick (ticks land ~1 ms after the second).</summary>
    public static readonly TimeSpan SampleLead = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _time;
    private readonly TickStats _ticks;
    private readonly FeedHealthRegistry _feeds;
    private readonly PrimaryFile _primary;
    private readonly StoreStats _store;
    private readonly Outbox<HealthRow> _outbox;
    private Counters _baseline;
    private DateTime _startedAt;

    public HealthSampler(TimeProvider time, TickStats ticks, FeedHealthRegistry feeds, PrimaryFile primary, StoreStats store, Outbox<HealthRow> outbox)
    {
        _time = time;
        _ticks = ticks;
        _feeds = feeds;
        _primary = primary;
        _store = store;
        _outbox = outbox;
        _startedAt = time.GetUtcNow().UtcDateTime;
        _baseline = TakeCounters();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _startedAt = _time.GetUtcNow().UtcDateTime;
        _baseline = TakeCounters();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow().UtcDateTime;
            var due = MinuteOf(now).AddMinutes(1) + SampleLead;
            try
            {
                await Task.Delay(due - now, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Sample();
        }
    }

    /// <summary>Closes the minute that just ended: one row with that minute's counts.</summary>
    internal HealthRow Sample()
    {
        var minute = MinuteOf(_time.GetUtcNow().UtcDateTime - SampleLead).AddMinutes(-1);
        var current = TakeCounters();
        var ticks = (int)(current.TicksWritten - _baseline.TicksWritten);
        var notWritten = (int)(current.TicksNotWritten - _baseline.TicksNotWritten);
        var fullMinute = _startedAt <= minute;
        var row = new HealthRow(
            minute,
            ticks,
            notWritten,
            (int)(current.SecondsSkipped - _baseline.SecondsSkipped),
            fullMinute ? Math.Max(0, 60 - ticks - notWritten) : null,
            _ticks.LastTickAt?.UtcDateTime,
            (int)(current.Reconnects - _baseline.Reconnects),
            FeedsJson(),
            _primary.BacklogCount,
            current.StoreLines - _baseline.StoreLines,
            current.StoreRows - _baseline.StoreRows,
            current.StoreSkipped - _baseline.StoreSkipped,
            _store.LastLagMs is { } lag ? (int)Math.Min(lag, int.MaxValue) : null,
            _store.PendingBytes);
        _baseline = current;
        _outbox.Add(_ => row);
        return row;
    }

    private static DateTime MinuteOf(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);

    private Counters TakeCounters() => new(
        _ticks.TicksWritten,
        _ticks.TicksNotWritten,
        _ticks.SecondsSkipped,
        _feeds.All.Sum(f => f.Reconnects),
        _store.Lines,
        _store.RowsInserted,
        _store.SkippedLines);

    private string FeedsJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            var now = _time.GetUtcNow();
            json.WriteStartObject();
            foreach (var feed in _feeds.All)
            {
                json.WriteStartObject(Pricing.ExchangeNames.Key(feed.Exchange));
                json.WriteBoolean("connected", feed.Connected);
                json.WriteNumber("reconnects", feed.Reconnects);
                if (feed.LastFrameAt is { } last)
                {
                    json.WriteNumber("last_frame_age_ms", (long)(now - last).TotalMilliseconds);
                }
                else
                {
                    json.WriteNull("last_frame_age_ms");
                }

                json.WriteString("last_error", feed.LastError);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private readonly record struct Counters(
        long TicksWritten,
        long TicksNotWritten,
        long SecondsSkipped,
        long Reconnects,
        long StoreLines,
        long StoreRows,
        long StoreSkipped);
}
