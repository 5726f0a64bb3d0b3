using KxCollector.Kalshi.Rest;
using KxCollector.Kalshi.Settlements;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Markets;

/// <summary>
/// The start-up recovery of one series: the previous run's markets (from the state file) are looked up by ticker,
/// and those that closed while the collector was down (since the state file's watermark) are found by close time,
/// so each gets its settlement line. Retried at the poll interval until both reads have succeeded.
/// </summary>
internal sealed partial class MarketRecovery
{
    /// <summary>Start-up look-ups never reach back further than this (written settlements are remembered longer).</summary>
    public static readonly TimeSpan BackfillLimit = TimeSpan.FromDays(7);

    /// <summary>Page size of the unfiltered listing the recovery falls back to (Kalshi's largest).</summary>
    public const int RecoveryFallbackLimit = 1000;

    private readonly MarketReader _reader;
    private readonly SettlementRecorder _settlements;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _series;
    private readonly HashSet<string> _tracked;

    public MarketRecovery(MarketReader reader, SettlementRecorder settlements, KalshiStateFile state, string series, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(state);
        _reader = reader;
        _settlements = settlements;
        _series = series;
        _time = time;
        _logger = logger;
        _tracked = new HashSet<string>(state.Tracked.Keys, StringComparer.Ordinal);
        ClosedSince = state.Watermark;
        Done = _tracked.Count == 0 && ClosedSince is null;
    }

    /// <summary>True once both look-ups have succeeded (or there was nothing to look up).</summary>
    public bool Done { get; private set; }

    /// <summary>The previous run's markets not yet looked up (kept in the state file until they are).</summary>
    public IReadOnlyCollection<string> Tracked => _tracked;

    /// <summary>The watermark whose closed-while-down look-up has not succeeded yet (a restart repeats it).</summary>
    public DateTimeOffset? ClosedSince { get; private set; }

    /// <summary>Does what is left of the recovery into <paramref name="live"/>; true when the tracked set changed.</summary>
    public async Task<bool> RunAsync(LiveMarkets live, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(live);
        var changed = false;
        if (_tracked.Count > 0)
        {
            var found = await _reader.FetchByTickersAsync(_tracked.ToList(), cancellationToken);
            if (found is null)
            {
                return false;
            }

            var receivedAt = _time.GetUtcNow();
            foreach (var market in found)
            {
                live.TryAdd(market, receivedAt, LiveMarkets.IsTradingNow(market, receivedAt));
            }

            foreach (var lost in _tracked.Except(found.Select(m => m.Ticker)))
            {
                LogRecoveryTickerUnknown(_logger, lost);
            }

            LogRecoveredTracked(_logger, found.Count);
            _tracked.Clear();
            changed = true;
        }

        if (ClosedSince is { } since)
        {
            var from = since - TimeSpan.FromHours(1) > now - BackfillLimit ? since - TimeSpan.FromHours(1) : now - BackfillLimit;
            var closedWhileDown = await FetchClosedSinceAsync(from, cancellationToken);
            if (closedWhileDown is null)
            {
                return changed;
            }

            var receivedAt = _time.GetUtcNow();
            var added = 0;
            foreach (var market in closedWhileDown)
            {
                if (!_settlements.IsWritten(market.Ticker) && live.TryAdd(market, receivedAt, inOpenList: false))
                {
                    added++;
                }
            }

            LogBackfilled(_logger, added, from);
            ClosedSince = null;
            changed |= added > 0;
        }

        Done = true;
        return changed;
    }

    /// <summary>
    /// Markets of the series that closed at or after <paramref name="from"/> and are not open: those still awaiting
    /// their result (status=closed with close-time filters) and those settled since (status=settled with
    /// settled-time filters: a market settles after it closes), both pairs Kalshi documents. Should Kalshi refuse
    /// either (400), the series is listed with no status and no timestamp filter and selected by close time here,
    /// so a refusal never repeats every poll. Null when Kalshi cannot answer now (retried at the next poll); empty
    /// when even the plain listing is refused (given up, loudly: the tracked markets are still followed).
    /// </summary>
    private async Task<IReadOnlyList<KalshiMarket>?> FetchClosedSinceAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        var closed = await _reader.FetchCheckedAsync(new MarketQuery { SeriesTicker = _series, Status = "closed", MinCloseTime = from }, cancellationToken);
        var settled = closed.Refused || closed.Markets is null
            ? closed
            : await _reader.FetchCheckedAsync(new MarketQuery { SeriesTicker = _series, Status = "settled", MinSettledTime = from }, cancellationToken);
        if (!closed.Refused && !settled.Refused)
        {
            return closed.Markets is null || settled.Markets is null ? null : [.. closed.Markets, .. settled.Markets];
        }

        LogRecoveryFilterRefused(_logger, _series);
        var all = await _reader.FetchCheckedAsync(new MarketQuery { SeriesTicker = _series, Limit = RecoveryFallbackLimit }, cancellationToken);
        if (all.Refused)
        {
            LogRecoveryGivenUp(_logger, _series, from);
            return [];
        }

        return all.Markets?
            .Where(m => m.CloseTime is { } close && close >= from && close <= _time.GetUtcNow() && m.Status is not ("active" or "initialized" or "inactive"))
            .ToList();
    }

    [LoggerMessage(EventId = 435, Level = LogLevel.Information, Message = "Resumed tracking {Count} markets from the previous run")]
    private static partial void LogRecoveredTracked(ILogger logger, int count);

    [LoggerMessage(EventId = 436, Level = LogLevel.Warning, Message = "Market {Ticker} from the previous run is not known to Kalshi any more; dropped")]
    private static partial void LogRecoveryTickerUnknown(ILogger logger, string ticker);

    [LoggerMessage(EventId = 437, Level = LogLevel.Information, Message = "Looked up markets closed while the collector was down (since {Since:o}): {Count} to record")]
    private static partial void LogBackfilled(ILogger logger, int count, DateTimeOffset since);

    [LoggerMessage(EventId = 422, Level = LogLevel.Warning, Message = "Kalshi refused the filtered look-up of {Series} markets closed while the collector was down (400); listing the series without filters and selecting by close time")]
    private static partial void LogRecoveryFilterRefused(ILogger logger, string series);

    [LoggerMessage(EventId = 423, Level = LogLevel.Error, Message = "Kalshi refused even the plain listing of {Series} (400): settlements of markets closed since {Since:o} while the collector was down are not looked up; run `kxcollector backfill --what markets` for them")]
    private static partial void LogRecoveryGivenUp(ILogger logger, string series, DateTimeOffset since);
}
