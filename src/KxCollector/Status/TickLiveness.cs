namespace KxCollector.Status;

/// <summary>
/// The one rule for "ticks are being written", shared by the systemd watchdog, /health and the status file, so they
/// can never disagree about whether the collector is recording.
/// </summary>
internal static class TickLiveness
{
    /// <summary>A tick is due every second; five without one means the loop is stalled, not merely late.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(5);

    /// <param name="lastTickAt">TickStats.LastTickAt.</param>
    /// <param name="startedAt">When the host started: before the first tick, the loop gets the same grace.</param>
    /// <remarks>
    /// A negative age (the wall clock stepped back) counts as advancing: the tick loop deliberately holds back until the
    /// clock passes its last second, and a restart would only write those seconds twice.
    /// </remarks>
    public static bool IsAdvancing(DateTimeOffset? lastTickAt, DateTimeOffset startedAt, DateTimeOffset now) =>
        now - (lastTickAt ?? startedAt) <= StalledAfter;
}
