using KxCollector.Kalshi.Settlements;
using KxCollector.Pricing;
using KxCollector.Records;

namespace KxCollector.Kalshi.Index;

/// <summary>What a settlement line adds for a series on an official index: the prints' window mean and Kalshi's average.</summary>
internal readonly record struct OfficialSettlementFigures(BrtiSum Official, KalshiWindowAverage? Kalshi)
{
    /// <summary>
    /// The settlement's <c>official_avg60</c> (mean of the prints stamped close−60 s … close−1 s, rounded half up to cents; null
    /// when none), <c>official_samples</c>, and Kalshi's <c>kalshi_avg60</c> with <c>kalshi_avg60_window_size</c>,
    /// <c>kalshi_avg60_window_start</c> (inclusive) and <c>kalshi_avg60_window_end</c> (exclusive), all null when
    /// Kalshi's average for that close was never received by this process.
    /// </summary>
    public SettlementOfficial ToRecord() => new(
        Official.Average,
        Official.Count,
        RecordJson.Normalize(Kalshi?.Value),
        Kalshi?.WindowSize,
        Kalshi is { } k ? DateTimeOffset.FromUnixTimeMilliseconds(k.WindowStartMs) : null,
        Kalshi is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e.WindowEndExclusiveMs) : null);
}

/// <summary>
/// The official figures of one series' settlements: the window of <see cref="BrtiWindow"/> over the index's prints,
/// from memory (<see cref="BrtiHistory"/>) or, when this process started after the window began, from the series'
/// own <c>index</c> lines, as the proxy's mean is recovered from its ticks.
/// </summary>
internal sealed class OfficialSettlementSource
{
    private readonly OfficialIndexBoard _board;
    private readonly int _slot;
    private readonly string _directory;
    private readonly string _prefix;

    public OfficialSettlementSource(OfficialIndexBoard board, string indexId, string directory, string prefix)
    {
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(indexId);
        _board = board;
        _slot = board.SlotOf(indexId);
        if (_slot < 0)
        {
            throw new ArgumentException($"{indexId} is not on the board", nameof(indexId));
        }

        IndexId = indexId;
        _directory = directory;
        _prefix = prefix;
    }

    public string IndexId { get; }

    public OfficialSettlementFigures Compute(DateTimeOffset closeTime)
    {
        var window = BrtiWindow.BeforeClose(closeTime);
        var sum = _board.HistoryOf(_slot).TrySum(window) ?? DataFileScanner.SumIndex(_directory, _prefix, IndexId, window);
        return new OfficialSettlementFigures(sum, _board.AverageFor(_slot, window.ToSecond + 1));
    }
}
