namespace KxCollector.Pricing;

/// <summary>
/// The whole UTC second an instant falls in, as Unix seconds: the key by which ticks, the proxy's history and the
/// official prints are matched. Floors, also before 1970, where <see cref="DateTimeOffset.ToUnixTimeSeconds"/> would
/// round toward zero.
/// </summary>
internal static class UnixSecond
{
    public static long Of(long unixMilliseconds) => Math.DivRem(unixMilliseconds, 1000L, out var rem) - (rem < 0 ? 1 : 0);

    public static long Of(DateTimeOffset time) => Of(time.ToUnixTimeMilliseconds());
}
