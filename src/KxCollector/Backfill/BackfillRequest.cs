using KxCollector.Kalshi.History;

namespace KxCollector.Backfill;

/// <summary>What to backfill for one series.</summary>
internal sealed record BackfillRequest
{
    public required string Series { get; init; }

    /// <summary>Start of the range (inclusive).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the range (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    public bool Markets { get; init; } = true;

    public bool Trades { get; init; } = true;

    public bool Candles { get; init; } = true;

    public CandleInterval Interval { get; init; } = CandleInterval.OneMinute;

    /// <summary>
    /// False (the `backfill` command): the settled markets closing in [From, To), each with all of its trades and
    /// candles. True (gap filling): every market trading at some point of [From, To), with only the trades and
    /// candles inside it, and market records only for those with a result.
    /// </summary>
    public bool WindowOnly { get; init; }
}
