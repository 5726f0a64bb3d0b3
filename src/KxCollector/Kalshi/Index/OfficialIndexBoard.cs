using KxCollector.Kalshi.Settlements;
using KxCollector.Pricing;

namespace KxCollector.Kalshi.Index;

/// <summary>
/// The latest official print of each subscribed index, for the ticks, plus what settlement lines need: the recent
/// prints by second (a <see cref="BrtiHistory"/> per index, the same window logic as the proxy's) and Kalshi's
/// published quarter-hour averages by close. The latest print is an immutable <see cref="IndexPrint"/> published with
/// one volatile write by the stream's receive loop and read with one volatile read by the 1 Hz tick: no lock on that path.
/// </summary>
internal sealed class OfficialIndexBoard
{
    /// <summary>
    /// A print older than this (tick time minus the print's own second) is written as null, never carried. A print
    /// arrives a few hundred ms after its second, so a tick normally holds the print of the second before.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(3);

    /// <summary>Kalshi averages older than this are dropped: a settlement later than a day has none (documented).</summary>
    private const long KeepAveragesSeconds = 24 * 3600;

    private readonly string[] _ids;
    private readonly IndexPrint?[] _latest;
    private readonly BrtiHistory[] _history;
    private readonly Dictionary<long, KalshiWindowAverage>[] _averages;
    private readonly Lock _averagesGate = new();

    public OfficialIndexBoard(IReadOnlyList<string> indexIds)
    {
        ArgumentNullException.ThrowIfNull(indexIds);
        _ids = [.. indexIds];
        _latest = new IndexPrint?[_ids.Length];
        _history = _ids.Select(_ => new BrtiHistory()).ToArray();
        _averages = _ids.Select(_ => new Dictionary<long, KalshiWindowAverage>()).ToArray();
    }

    public IReadOnlyList<string> IndexIds => _ids;

    /// <summary>The slot of an index id, or -1 when it is not one of ours.</summary>
    public int SlotOf(string indexId) => Array.IndexOf(_ids, indexId);

    public IndexPrint? Latest(int slot) => Volatile.Read(ref _latest[slot]);

    /// <summary>The latest print when it is no older than <see cref="StaleAfter"/> at <paramref name="now"/>, else null.</summary>
    public IndexPrint? Fresh(int slot, DateTimeOffset now) =>
        Latest(slot) is { } print && now.ToUnixTimeMilliseconds() - print.TimeMs <= (long)StaleAfter.TotalMilliseconds ? print : null;

    /// <summary>A print written to the files: the ticks see it, and settlement windows can average it.</summary>
    public void Publish(int slot, IndexPrint print)
    {
        ArgumentNullException.ThrowIfNull(print);
        Volatile.Write(ref _latest[slot], print);
        _history[slot].Record(print.Time, print.Value);
    }

    public BrtiHistory HistoryOf(int slot) => _history[slot];

    /// <summary>Keeps Kalshi's latest published average for its close (each message replaces the one before).</summary>
    public void RecordAverage(int slot, KalshiWindowAverage average)
    {
        ArgumentNullException.ThrowIfNull(average);
        lock (_averagesGate)
        {
            var byClose = _averages[slot];
            byClose[average.CloseSecond] = average;
            if (byClose.Count > 200)
            {
                foreach (var close in byClose.Keys.Where(c => c < average.CloseSecond - KeepAveragesSeconds).ToList())
                {
                    byClose.Remove(close);
                }
            }
        }
    }

    /// <summary>Kalshi's average for the close at <paramref name="closeSecond"/> as last received, or null.</summary>
    public KalshiWindowAverage? AverageFor(int slot, long closeSecond)
    {
        lock (_averagesGate)
        {
            return _averages[slot].GetValueOrDefault(closeSecond);
        }
    }
}
