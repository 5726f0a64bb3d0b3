namespace KxCollector.Backfill;

/// <summary>Counters of one run, read by the progress display from another thread.</summary>
internal sealed class BackfillStats
{
    private long _markets;
    private long _trades;
    private long _candles;
    private long _alreadyPresent;
    private long _unitsDone;
    private long _unitsSkipped;
    private long _unitsFailed;
    private long _unitsTotal;

    public long Markets => Interlocked.Read(ref _markets);

    public long Trades => Interlocked.Read(ref _trades);

    public long Candles => Interlocked.Read(ref _candles);

    /// <summary>Records fetched again that were already in the files (a resumed or overlapping run).</summary>
    public long AlreadyPresent => Interlocked.Read(ref _alreadyPresent);

    public long UnitsDone => Interlocked.Read(ref _unitsDone);

    /// <summary>Units found complete in the journal (an earlier run did them).</summary>
    public long UnitsSkipped => Interlocked.Read(ref _unitsSkipped);

    /// <summary>Units Kalshi refused (a 4xx other than 429): left for a later run.</summary>
    public long UnitsFailed => Interlocked.Read(ref _unitsFailed);

    public long UnitsTotal => Interlocked.Read(ref _unitsTotal);

    /// <summary>Markets found in the range without a result yet (not backfilled; a later run gets them).</summary>
    public long MarketsUnsettled { get; set; }

    public void AddUnits(long count) => Interlocked.Add(ref _unitsTotal, count);

    public void UnitDone() => Interlocked.Increment(ref _unitsDone);

    public void UnitSkipped()
    {
        Interlocked.Increment(ref _unitsSkipped);
        Interlocked.Increment(ref _unitsDone);
    }

    public void UnitFailed()
    {
        Interlocked.Increment(ref _unitsFailed);
        Interlocked.Increment(ref _unitsDone);
    }

    public void Wrote(string kind, int written, int present)
    {
        Interlocked.Add(ref _alreadyPresent, present);
        switch (kind)
        {
            case "markets": Interlocked.Add(ref _markets, written); break;
            case "trades": Interlocked.Add(ref _trades, written); break;
            default: Interlocked.Add(ref _candles, written); break;
        }
    }
}
