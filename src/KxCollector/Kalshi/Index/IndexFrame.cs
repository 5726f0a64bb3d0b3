using KxCollector.Pricing;

namespace KxCollector.Kalshi.Index;

/// <summary>
/// Kalshi's <c>last_60s_windowed_average_15min</c>: its running average over the window it states (start inclusive,
/// end exclusive, Unix ms) and how many prints it holds so far. Present only in the final minute before a quarter hour.
/// </summary>
internal sealed record KalshiWindowAverage(decimal Value, int WindowSize, long WindowStartMs, long WindowEndExclusiveMs)
{
    /// <summary>
    /// The close this average is for: Kalshi's window is (T−60 s, T], i.e. it starts at T−60 s + 1 ms (docs/venues.md).
    /// </summary>
    public long CloseSecond => ((WindowStartMs - 1) / 1000) + 60;
}

/// <summary>One cfbenchmarks_value message: the print, and Kalshi's quarter-hour average when the message carries one.</summary>
internal readonly record struct IndexFrame(IndexPrint Print, KalshiWindowAverage? LastWindowAverage);
