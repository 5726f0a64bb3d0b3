namespace KxCollector.Pricing;

/// <summary>
/// The settlement window of a market closing at T: our ticks whose UTC second is T−60 … T−1 (60 seconds; the second
/// of T itself is excluded), as measured against CF Benchmarks history (docs/venues.md).
/// </summary>
internal readonly record struct BrtiWindow(long FromSecond, long ToSecond)
{
    public static BrtiWindow BeforeClose(DateTimeOffset closeTime)
    {
        // A close_time with a fraction still ends the window at the last whole second before it.
        var closeSecond = (long)Math.Ceiling(closeTime.ToUnixTimeMilliseconds() / 1000.0);
        return new BrtiWindow(closeSecond - 60, closeSecond - 1);
    }

    public bool Contains(long second) => second >= FromSecond && second <= ToSecond;
}

/// <summary>The non-null brti values found in a window.</summary>
internal readonly record struct BrtiSum(decimal Sum, int Count)
{
    public BrtiSum Add(decimal value) => new(Sum + value, Count + 1);

    /// <summary>The mean rounded half up to cents, always written with two decimals (65771.20); null when no samples.</summary>
    public decimal? Average => Count == 0 ? null : Math.Round(Sum / Count, 2, MidpointRounding.AwayFromZero) + 0.00m;
}
