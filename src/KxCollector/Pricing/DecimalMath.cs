namespace KxCollector.Pricing;

internal static class DecimalMath
{
    /// <summary>
    /// Removes trailing zeros from a decimal's scale ("98810.50" / 2 keeps scale 3 otherwise), so the same value
    /// is always written the same way in the JSONL.
    /// </summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    /// <summary>Rounds half away from zero ("half up" for positive prices), as CF Benchmarks and Kalshi round cents.</summary>
    public static decimal RoundHalfUp(decimal value, int decimals) =>
        Normalize(Math.Round(value, decimals, MidpointRounding.AwayFromZero));
}
