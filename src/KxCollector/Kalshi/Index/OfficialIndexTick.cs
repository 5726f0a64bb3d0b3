using KxCollector.Pricing;

namespace KxCollector.Kalshi.Index;

/// <summary>
/// What a tick of a series on an official index reads: the latest print of its index if it is fresh
/// (<see cref="OfficialIndexBoard.StaleAfter"/>), else null. One volatile read: cheap on the 1 Hz path.
/// </summary>
internal sealed class OfficialIndexTick : IOfficialIndexSource
{
    private readonly OfficialIndexBoard _board;
    private readonly int _slot;

    public OfficialIndexTick(OfficialIndexBoard board, string indexId)
    {
        ArgumentNullException.ThrowIfNull(board);
        _board = board;
        _slot = board.SlotOf(indexId);
        if (_slot < 0)
        {
            throw new ArgumentException($"{indexId} is not on the board", nameof(indexId));
        }
    }

    public IndexPrint? Read(DateTimeOffset now) => _board.Fresh(_slot, now);
}
