using KxCollector.Pricing;

namespace KxCollector.Recording;

/// <summary>The arithmetic of firing once per whole UTC second, kept apart from the loop so it can be tested alone.</summary>
internal static class TickSchedule
{
    /// <summary>
    /// How far past the whole second the timer aims. Timers can fire a hair early; aiming just after the boundary
    /// means an early wake still lands in the right second instead of re-sampling the previous one.
    /// </summary>
    public static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(1);

    /// <summary>The Unix second a time falls in.</summary>
    public static long SecondOf(DateTimeOffset time) => UnixSecond.Of(time);

    /// <summary>The delay from <paramref name="now"/> to just after the next whole second (never less than 1 ms).</summary>
    public static TimeSpan DelayToNextSecond(DateTimeOffset now) => DelayToNextPeriod(now, 1);

    /// <summary>
    /// The delay to just after the next UTC second divisible by <paramref name="periodSeconds"/> (never less than 1 ms),
    /// so a 5 s series ticks at :00, :05, … on every machine, whenever the process started.
    /// </summary>
    public static TimeSpan DelayToNextPeriod(DateTimeOffset now, int periodSeconds)
    {
        var periodTicks = periodSeconds * TimeSpan.TicksPerSecond;
        var intoPeriod = now.UtcTicks % periodTicks;
        var delay = TimeSpan.FromTicks(periodTicks - intoPeriod) + Lead;
        return delay < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : delay;
    }
}
