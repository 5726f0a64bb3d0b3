using KxCollector.Configuration;
using KxCollector.Feeds;
using KxCollector.Hosting;
using KxCollector.Pricing;
using KxCollector.Recording;
using KxCollector.Cli;

namespace KxCollector.Status;

/// <summary>Reads the live facts (tick stats, feed health, today's file) into a <see cref="StatusSnapshot"/>. Thread-safe.</summary>
internal sealed class StatusSnapshotBuilder
{
    private readonly Lock _scanGate = new();
    private readonly DayFileScanner _scanner = new();
    private readonly CollectorOptions _options;
    private readonly TickStats _ticks;
    private readonly FeedHealthRegistry _feeds;
    private readonly BrtiProxy _proxy;
    private readonly PrimaryFile _primary;
    private readonly TimeProvider _time;

    public StatusSnapshotBuilder(CollectorOptions options, TickStats ticks, FeedHealthRegistry feeds, BrtiProxy proxy, PrimaryFile primary, TimeProvider time)
    {
        _options = options;
        _ticks = ticks;
        _feeds = feeds;
        _proxy = proxy;
        _primary = primary;
        _time = time;
        StartedAt = time.GetUtcNow();
    }

    public DateTimeOffset StartedAt { get; }

    public StatusSnapshot Build()
    {
        var now = _time.GetUtcNow();
        var date = DateOnly.FromDateTime(now.UtcDateTime);
        DayFileFacts today;
        lock (_scanGate)
        {
            // With TARGET_SPORTS alone there is no file until the first series has joined: a path that does not exist.
            today = _scanner.Scan(_primary.Writer?.PathFor(date) ?? Path.Combine(_options.OutputDirectory, "no-series-yet.jsonl"), date);
        }

        var feeds = _feeds.All
            .Select(f => new FeedStatus(f.Exchange.Key(), f.Connected, _proxy.IsFresh(f.Exchange, now), f.LastFrameAt, f.Reconnects, f.MalformedFrames, f.LastError))
            .ToList();
        var lastTick = _ticks.LastTickAt;

        var problems = new List<string>();
        if (!TickLiveness.IsAdvancing(lastTick, StartedAt, now))
        {
            problems.Add(lastTick is null ? "no tick written since start" : $"no tick for {(now - lastTick.Value).TotalSeconds:F0} s");
        }

        if (!feeds.Any(f => f.Fresh))
        {
            problems.Add("no exchange feed has a fresh price");
        }

        return new StatusSnapshot
        {
            At = now,
            Pid = Environment.ProcessId,
            StartedAt = StartedAt,
            Version = AppVersion.Value,
            Series = _primary.Series ?? _options.SeriesTicker,
            OutputDirectory = _options.OutputDirectory,
            LastTickAt = lastTick,
            TicksWritten = _ticks.TicksWritten,
            TicksWaitingForDisk = _primary.BacklogCount,
            SecondsSkipped = _ticks.SecondsSkipped,
            Today = today,
            Feeds = feeds,
            Problems = problems,
        };
    }
}
