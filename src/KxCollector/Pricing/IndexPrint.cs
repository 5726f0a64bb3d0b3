namespace KxCollector.Pricing;

/// <summary>
/// One official CF Benchmarks print as Kalshi streams it: the index, CF's own whole-second stamp (Unix ms, from the
/// <c>data</c> frame), the value in dollars (2 decimals, as CF quotes it) and when Kalshi received it (Unix ms).
/// Immutable, so the board can publish it with one reference write.
/// </summary>
internal sealed record IndexPrint(string IndexId, long TimeMs, decimal Value, long ReceivedAtMs)
{
    /// <summary>The Unix second the print is stamped with.</summary>
    public long Second => UnixSecond.Of(TimeMs);

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeMs);
}
