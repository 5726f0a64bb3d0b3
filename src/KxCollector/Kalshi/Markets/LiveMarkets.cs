using KxCollector.Kalshi.Settlements;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Markets;

/// <summary>
/// What is known of one series' markets, merged from the REST polls and the stream's notices: the markets in the tick
/// (open, or closed awaiting their result), those the stream said are determined, and the next ones to open. Decides
/// nothing about time; <see cref="PollSchedule"/> reads <see cref="EventInstants"/> and <see cref="PendingSince"/>.
/// </summary>
internal sealed partial class LiveMarkets(ILogger logger)
{
    private readonly Dictionary<string, LiveMarket> _live = new(StringComparer.Ordinal);

    // Markets the stream says are determined, and when it said so: read by ticker fast until REST has their result.
    private readonly Dictionary<string, DateTimeOffset> _determined = new(StringComparer.Ordinal);
    private List<KalshiMarket> _upcoming = [];

    /// <summary>Markets in the tick (open, or closed awaiting their result).</summary>
    public IReadOnlyCollection<string> Tickers => _live.Keys;

    /// <summary>The not-yet-open markets known, by open_time.</summary>
    public IReadOnlyList<KalshiMarket> Upcoming => _upcoming;

    public int Count => _live.Count;

    public IEnumerable<TickMarketEntry> Entries => _live.Values.Select(l => l.Entry);

    /// <summary>Each market in the tick with its close time, as the state file keeps it.</summary>
    public IEnumerable<KeyValuePair<string, DateTimeOffset?>> CloseTimes => _live.Select(p => KeyValuePair.Create(p.Key, p.Value.Market.CloseTime));

    public bool Contains(string ticker) => _live.ContainsKey(ticker);

    /// <summary>The stream said <paramref name="ticker"/> is determined or settled: true the first time, for a market in the tick.</summary>
    public bool MarkDetermined(string ticker, DateTimeOffset now) => _live.ContainsKey(ticker) && _determined.TryAdd(ticker, now);

    /// <summary>Adds a market found by the start-up recovery, unless it is known already.</summary>
    public bool TryAdd(KalshiMarket market, DateTimeOffset receivedAt, bool inOpenList) =>
        _live.TryAdd(market.Ticker, new LiveMarket(market, receivedAt, inOpenList));

    /// <summary>
    /// Merges the open list. Returns whether a market was added, and whether one left the list (closed, paused: it is
    /// to be read by ticker in this same pass).
    /// </summary>
    public (bool Added, bool Left) MergeOpenList(IReadOnlyList<KalshiMarket> markets, DateTimeOffset receivedAt, Func<string, bool> settled)
    {
        var added = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var market in markets)
        {
            seen.Add(market.Ticker);

            // Past its close a market is read by ticker; the open list may be a CDN copy up to 15 s old and must not
            // overwrite a newer "closed".
            if (_live.TryGetValue(market.Ticker, out var known) && known.Market.CloseTime <= receivedAt)
            {
                continue;
            }

            // Settled already (the stream's determined event is seconds ahead of the CDN): a cached open list must
            // not bring it back into the tick.
            if (known is null && settled(market.Ticker))
            {
                continue;
            }

            if (known is null)
            {
                added = true;
                LogMarketOpened(logger, market.Ticker, market.OpenTime, market.CloseTime);
            }

            _live[market.Ticker] = new LiveMarket(market, receivedAt, IsTradingNow(market, receivedAt));
        }

        _upcoming.RemoveAll(m => seen.Contains(m.Ticker));
        var left = false;
        foreach (var (ticker, live) in _live.ToArray())
        {
            if (live.InOpenList && !seen.Contains(ticker))
            {
                _live[ticker] = live with { InOpenList = false };
                left = true;
            }
        }

        return (added, left);
    }

    /// <summary>Merges markets read by ticker; only those still in the tick are updated.</summary>
    public void MergeByTicker(IReadOnlyList<KalshiMarket> markets, DateTimeOffset receivedAt)
    {
        foreach (var market in markets)
        {
            if (_live.ContainsKey(market.Ticker))
            {
                _live[market.Ticker] = new LiveMarket(market, receivedAt, IsTradingNow(market, receivedAt));
            }
        }
    }

    /// <summary>Replaces the not-yet-open list (markets already in the tick are left out), by open_time.</summary>
    public void SetUpcoming(IReadOnlyList<KalshiMarket> markets)
    {
        var upcoming = markets
            .Where(m => m.OpenTime is not null && !_live.ContainsKey(m.Ticker))
            .OrderBy(m => m.OpenTime)
            .ThenBy(m => m.Ticker, StringComparer.Ordinal)
            .ToList();
        if (upcoming.Count > 0 && (_upcoming.Count == 0 || upcoming[0].Ticker != _upcoming[0].Ticker))
        {
            LogNextMarket(logger, upcoming[0].Ticker, upcoming[0].OpenTime!.Value, upcoming.Count);
        }

        _upcoming = upcoming;
    }

    /// <summary>The upcoming markets whose open_time is at or before <paramref name="until"/>, by ticker.</summary>
    public List<string> OpeningBy(DateTimeOffset until)
    {
        var tickers = new List<string>();
        foreach (var market in _upcoming)
        {
            if (market.OpenTime <= until)
            {
                tickers.Add(market.Ticker);
            }
        }

        return tickers;
    }

    /// <summary>Live markets to read by ticker: out of the open list (closed, paused), past their close_time, or determined.</summary>
    public List<string> PendingTickers(DateTimeOffset now)
    {
        // Loops, not LINQ, here and below: every market poll (every 3 s, every 0.5 s near an open or close) calls these twice,
        // and their iterators and closures were a sixth of what the daemon allocated (docs/BENCHMARKS.md).
        var pending = new List<string>();
        foreach (var (ticker, live) in _live)
        {
            if (IsPending(ticker, live, now))
            {
                pending.Add(ticker);
            }
        }

        return pending;
    }

    /// <summary>
    /// For each market to read by ticker, since when it awaits a result: when the stream said determined, else its
    /// close_time once passed, else null (out of the open list before its close).
    /// </summary>
    public List<DateTimeOffset?> PendingSince(DateTimeOffset now)
    {
        var since = new List<DateTimeOffset?>();
        foreach (var (ticker, live) in _live)
        {
            if (IsPending(ticker, live, now))
            {
                var market = live.Market;
                since.Add(_determined.TryGetValue(ticker, out var determined) ? determined : market.CloseTime <= now ? market.CloseTime : null);
            }
        }

        return since;
    }

    private bool IsPending(string ticker, LiveMarket live, DateTimeOffset now) =>
        !live.InOpenList || live.Market.CloseTime <= now || _determined.ContainsKey(ticker);

    /// <summary>
    /// The instants at which the open list changes: upcoming open_times, and the open and close times of the markets
    /// in the tick (kept after they pass, so the fast interval lasts <see cref="PollSchedule.HotAfterEvent"/> beyond each).
    /// </summary>
    public List<DateTimeOffset> EventInstants()
    {
        var instants = new List<DateTimeOffset>(_upcoming.Count + (2 * _live.Count));
        foreach (var market in _upcoming)
        {
            instants.Add(market.OpenTime!.Value);
        }

        foreach (var live in _live.Values)
        {
            if (live.Market.OpenTime is { } open)
            {
                instants.Add(open);
            }

            if (live.Market.CloseTime is { } close)
            {
                instants.Add(close);
            }
        }

        return instants;
    }

    /// <summary>Writes the settlement of every market whose result has come, and takes it out of the tick.</summary>
    public bool RecordResults(SettlementRecorder settlements, DateTimeOffset now)
    {
        var changed = false;
        foreach (var (ticker, live) in _live.ToArray())
        {
            if (settlements.TryRecord(live.Market, now))
            {
                Remove(ticker);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>A market without a result long after the longest settlement lag seen (24 h) is given up on, loudly.</summary>
    public bool ForgetAbandoned(DateTimeOffset now)
    {
        var changed = false;
        foreach (var (ticker, live) in _live.ToArray())
        {
            if (live.Market.CloseTime is { } close && close < now - MarketRecovery.BackfillLimit)
            {
                LogAbandoned(logger, ticker, close);
                Remove(ticker);
                changed = true;
            }
        }

        _upcoming.RemoveAll(m => m.OpenTime < now - TimeSpan.FromHours(1));
        return changed;
    }

    private void Remove(string ticker)
    {
        _live.Remove(ticker);
        _determined.Remove(ticker);
    }

    public static bool IsTradingNow(KalshiMarket market, DateTimeOffset now) =>
        market.Status == "active" && (market.CloseTime is null || market.CloseTime > now);

    /// <summary>A market in the tick: its latest data, when that arrived, and whether the open list still has it.</summary>
    private sealed record LiveMarket(KalshiMarket Market, DateTimeOffset ReceivedAt, bool InOpenList)
    {
        public TickMarketEntry Entry { get; } = new(Market, ReceivedAt);
    }

    [LoggerMessage(EventId = 433, Level = LogLevel.Information, Message = "Market {Ticker} is open ({OpenTime:o} to {CloseTime:o})")]
    private static partial void LogMarketOpened(ILogger logger, string ticker, DateTimeOffset? openTime, DateTimeOffset? closeTime);

    [LoggerMessage(EventId = 434, Level = LogLevel.Debug, Message = "Next market {Ticker} opens at {OpenTime:o} ({Count} not yet open)")]
    private static partial void LogNextMarket(ILogger logger, string ticker, DateTimeOffset openTime, int count);

    [LoggerMessage(EventId = 438, Level = LogLevel.Warning, Message = "Market {Ticker} closed at {CloseTime:o} and still has no result; no longer tracked")]
    private static partial void LogAbandoned(ILogger logger, string ticker, DateTimeOffset closeTime);
}
