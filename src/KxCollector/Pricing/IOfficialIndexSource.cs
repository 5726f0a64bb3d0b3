namespace KxCollector.Pricing;

/// <summary>
/// What a tick of a series on an official index reads: the latest print of its index if it is fresh, else null.
/// Implemented over the Kalshi stream's index board; the tick loop sees only this, so recording does not depend on
/// where the prints come from.
/// </summary>
internal interface IOfficialIndexSource
{
    IndexPrint? Read(DateTimeOffset now);
}
