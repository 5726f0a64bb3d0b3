using System.Globalization;

namespace KxCollector.Status;

/// <summary>The collector's state at one instant: what status.json, GET /health and systemd's STATUS= report.</summary>
internal sealed class StatusSnapshot
{
    public required DateTimeOffset At { get; init; }

    public required int Pid { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required string Version { get; init; }

    public required string Series { get; init; }

    public required string OutputDirectory { get; init; }

    public required DateTimeOffset? LastTickAt { get; init; }

    public required long TicksWritten { get; init; }

    /// <summary>Ticks sampled but held in memory because the disk refused them (written when it works again).</summary>
    public required long TicksWaitingForDisk { get; init; }

    public required long SecondsSkipped { get; init; }

    public required DayFileFacts Today { get; init; }

    public required IReadOnlyList<FeedStatus> Feeds { get; init; }

    /// <summary>Why the collector is unhealthy; empty when healthy.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    public bool Healthy => Problems.Count == 0;

    public double? LastTickAgeSeconds => LastTickAt is { } last ? Math.Round((At - last).TotalSeconds, 3) : null;

    /// <summary>One line for systemd's STATUS= (shown by systemctl status).</summary>
    public string Summary()
    {
        var c = CultureInfo.InvariantCulture;
        var tick = LastTickAgeSeconds is { } age ? string.Create(c, $"last tick {age:F1} s ago") : "no tick yet";
        var fresh = Feeds.Where(f => f.Fresh).Select(f => f.Name).ToList();
        var feeds = fresh.Count == 0 ? "no fresh feed" : $"fresh: {string.Join(",", fresh)}";
        var today = string.Create(c, $"{Today.Ticks} ticks today, {Today.MissingSecondsSinceFirstTickAt(At)} s missing since first");
        return $"{(Healthy ? "recording" : "UNHEALTHY")}: {tick}; {feeds}; {today}";
    }
}
