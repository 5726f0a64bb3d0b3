using System.Collections.Concurrent;
using System.Threading.Channels;
using KxCollector.Configuration;
using KxCollector.Kalshi.Rest;
using KxCollector.Kalshi.Settlements;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Markets;

/// <summary>
/// Follows a series on Kalshi: its open markets (quotes for the tick), the next ones to open (their open_time is
/// when to look), and those closed but without a result (kept until the result comes, across restarts).
/// <para>Scheduling comes from the markets themselves, never from a 15-minute clock: the open list is read at each
/// known open_time and close_time and every <see cref="KalshiOptions.FastPollInterval"/> for a while around them,
/// every <see cref="KalshiOptions.PollInterval"/> otherwise. A closed market is read by ticker, fast just after its
/// close (the result usually comes ~11 s later) and more slowly as it stays unsettled.</para>
/// <para>One <see cref="PollAsync"/> does whatever is due and sets <see cref="NextPollAt"/>; the hosted service
/// loops on it, tests call it with a hand-driven clock. A failed read keeps the last known state.</para>
/// </summary>
internal sealed partial class MarketTracker
{
    /// <summary>How long after an open_time or close_time the open list stays on the fast interval.</summary>
    public static readonly TimeSpan HotAfterEvent = TimeSpan.FromSeconds(15);

    /// <summary>The slowest a closed market without result is polled (results can take a day).</summary>
    public static readonly TimeSpan MaxResultPollInterval = TimeSpan.FromSeconds(30);

    /// <summary>Start-up look-ups never reach back further than this (written settlements are remembered longer).</summary>
    public static readonly TimeSpan BackfillLimit = TimeSpan.FromDays(7);

    /// <summary>Page size of the unfiltered listing the recovery falls back to (Kalshi's largest).</summary>
    public const int RecoveryFallbackLimit = 1000;

    /// <summary>Tickers per by-ticker request; keeps URLs short.</summary>
    public const int TickersPerRequest = 50;

    private static readonly TimeSpan WatermarkSaveInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromMinutes(1);
    // Only a guard against a busy loop; requests themselves are paced by the REST client.
    private static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(1);

    private readonly IKalshiMarketSource _source;
    private readonly MarketBoard _board;
    private readonly SettlementRecorder _settlements;
    private readonly KalshiStateFile _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _series;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _fastInterval;
    private readonly TimeSpan _discoveryInterval;

    private readonly Dictionary<string, LiveMarket> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<LifecycleNotice> _notices = new();

    // Markets the stream says are determined, and when it said so: read by ticker fast until REST has their result.
    private readonly Dictionary<string, DateTimeOffset> _determined = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private bool _nudged;
    private readonly HashSet<string> _recovering;
    private List<KalshiMarket> _upcoming = [];
    private DateTimeOffset? _backfillSince;
    private bool _recovered;
    private DateTimeOffset? _lastRecoveryAttempt;
    private DateTimeOffset? _lastOpenPoll;
    private DateTimeOffset? _lastPendingPoll;
    private DateTimeOffset? _lastDiscovery;
    private bool _pendingDirty;
    private DateTimeOffset _lastWatermarkSave;
    private DateTimeOffset? _failingSince;
    private readonly KalshiActivity _activity;
    private DateTimeOffset _lastFailureLog;

    public MarketTracker(
        IKalshiMarketSource source,
        MarketBoard board,
        SettlementRecorder settlements,
        KalshiStateFile state,
        string seriesTicker,
        KalshiOptions options,
        TimeProvider time,
        ILogger logger,
        KalshiActivity? activity = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(state);
        _activity = activity ?? new KalshiActivity();
        _source = source;
        _board = board;
        _settlements = settlements;
        _state = state;
        _series = seriesTicker;
        _pollInterval = options.PollInterval;
        _fastInterval = options.FastPollInterval < options.PollInterval ? options.FastPollInterval : options.PollInterval;
        _discoveryInterval = options.DiscoveryInterval;
        _time = time;
        _logger = logger;

        // The previous run's markets are looked up by ticker before anything else; closed-while-down ones by close time.
        _recovering = new HashSet<string>(state.Tracked.Keys, StringComparer.Ordinal);
        _backfillSince = state.Watermark;
        _recovered = _recovering.Count == 0 && _backfillSince is null;
        NextPollAt = time.GetUtcNow();
    }

    /// <summary>When <see cref="PollAsync"/> next has something to do.</summary>
    public DateTimeOffset NextPollAt { get; private set; }

    /// <summary>Markets in the tick (open, or closed awaiting their result).</summary>
    public IReadOnlyCollection<string> LiveTickers => _live.Keys;

    /// <summary>The not-yet-open markets known, by open_time.</summary>
    public IReadOnlyList<KalshiMarket> Upcoming => _upcoming;

    /// <summary>
    /// Told by the stream of a lifecycle event of one of this series' markets (any thread). A determined market is
    /// read from REST at once; any event makes the next poll read the lists now rather than at its time.
    /// </summary>
    public void OnLifecycle(LifecycleNotice notice)
    {
        _notices.Enqueue(notice);
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Waits until <paramref name="delay"/> has passed or a lifecycle event asks for a poll sooner.</summary>
    public async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (!_notices.IsEmpty)
        {
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, _time, either.Token);
        var woken = _wake.Reader.WaitToReadAsync(either.Token).AsTask();
        await Task.WhenAny(timer, woken);
        await either.CancelAsync();
        _wake.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }

    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        ApplyNotices(now);
        var changed = false;
        if (!_recovered && Due(_lastRecoveryAttempt, _pollInterval, now))
        {
            changed |= await RecoverAsync(now, cancellationToken);
        }

        var nudged = _nudged && Due(_lastOpenPoll, _fastInterval, now);
        if (nudged)
        {
            _nudged = false;
            _pendingDirty |= PendingTickers(now).Any();
        }

        if (Due(_lastOpenPoll, OpenInterval(now), now) || AtEventInstant(now) || nudged)
        {
            changed |= await PollOpenAsync(cancellationToken);
        }

        now = _time.GetUtcNow();
        if (PendingDue(now))
        {
            await PollPendingAsync(cancellationToken);
        }

        if (Due(_lastDiscovery, _discoveryInterval, now))
        {
            await PollUpcomingAsync(cancellationToken);
        }

        now = _time.GetUtcNow();
        changed |= RecordResults(now);
        changed |= ForgetAbandoned(now);
        Publish();
        Persist(now, changed);
        NextPollAt = ComputeNextPoll(_time.GetUtcNow());
    }

    /// <summary>
    /// Applies the stream's lifecycle events. A determined or settled market is read by ticker now and then fast
    /// until REST gives its expiration_value: the stream's settlement_value is the payout per contract, never the
    /// value the market settled on, so the settlement line waits for REST. Created, activated, deactivated and the
    /// rest make this poll read the open list (and the upcoming list) now.
    /// </summary>
    private void ApplyNotices(DateTimeOffset now)
    {
        while (_notices.TryDequeue(out var notice))
        {
            _nudged = true;
            if (notice.EventType == "created")
            {
                _lastDiscovery = null;
            }

            if (notice.EventType is "determined" or "settled" && _live.ContainsKey(notice.Ticker) && !_determined.ContainsKey(notice.Ticker))
            {
                _determined[notice.Ticker] = now;
                _pendingDirty = true;
                LogDeterminedOnStream(_logger, notice.Ticker, notice.EventType, notice.Result ?? "none");
            }
        }
    }

    /// <summary>Saves the tracked set and watermark now (shutdown).</summary>
    public void SaveState() => Persist(_time.GetUtcNow(), force: true);

    private async Task<bool> RecoverAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        _lastRecoveryAttempt = now;
        var changed = false;
        if (_recovering.Count > 0)
        {
            var found = await FetchByTickersAsync(_recovering.ToList(), cancellationToken);
            if (found is null)
            {
                return false;
            }

            var receivedAt = _time.GetUtcNow();
            foreach (var market in found)
            {
                _live.TryAdd(market.Ticker, new LiveMarket(market, receivedAt, IsTradingNow(market, receivedAt)));
            }

            foreach (var lost in _recovering.Except(found.Select(m => m.Ticker)))
            {
                LogRecoveryTickerUnknown(_logger, lost);
            }

            LogRecoveredTracked(_logger, found.Count);
            _recovering.Clear();
            changed = true;
        }

        if (_backfillSince is { } since)
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
                if (!_settlements.IsWritten(market.Ticker) && _live.TryAdd(market.Ticker, new LiveMarket(market, receivedAt, InOpenList: false)))
                {
                    added++;
                }
            }

            LogBackfilled(_logger, added, from);
            _backfillSince = null;
            changed |= added > 0;
        }

        _recovered = true;
        return changed;
    }

    private async Task<bool> PollOpenAsync(CancellationToken cancellationToken)
    {
        _lastOpenPoll = _time.GetUtcNow();
        var markets = await FetchAsync(new MarketQuery { SeriesTicker = _series, Status = "open" }, cancellationToken);
        if (markets is null)
        {
            return false;
        }

        var receivedAt = _time.GetUtcNow();
        var changed = false;
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
            if (known is null && _settlements.IsWritten(market.Ticker))
            {
                continue;
            }

            changed |= known is null;
            if (known is null)
            {
                LogMarketOpened(_logger, market.Ticker, market.OpenTime, market.CloseTime);
            }

            _live[market.Ticker] = new LiveMarket(market, receivedAt, IsTradingNow(market, receivedAt));
        }

        _upcoming.RemoveAll(m => seen.Contains(m.Ticker));
        foreach (var (ticker, live) in _live.ToArray())
        {
            if (live.InOpenList && !seen.Contains(ticker))
            {
                // Left the open list (closed, paused): read it by ticker in this same pass.
                _live[ticker] = live with { InOpenList = false };
                _pendingDirty = true;
            }
        }

        _state.Watermark = receivedAt;
        return changed;
    }

    private async Task PollPendingAsync(CancellationToken cancellationToken)
    {
        _lastPendingPoll = _time.GetUtcNow();
        _pendingDirty = false;
        var tickers = PendingTickers(_lastPendingPoll.Value).ToList();
        var markets = await FetchByTickersAsync(tickers, cancellationToken);
        if (markets is null)
        {
            return;
        }

        var receivedAt = _time.GetUtcNow();
        foreach (var market in markets)
        {
            if (_live.ContainsKey(market.Ticker))
            {
                _live[market.Ticker] = new LiveMarket(market, receivedAt, IsTradingNow(market, receivedAt));
            }
        }
    }

    private async Task PollUpcomingAsync(CancellationToken cancellationToken)
    {
        _lastDiscovery = _time.GetUtcNow();
        var markets = await FetchAsync(new MarketQuery { SeriesTicker = _series, Status = "unopened" }, cancellationToken);
        if (markets is null)
        {
            return;
        }

        var upcoming = markets
            .Where(m => m.OpenTime is not null && !_live.ContainsKey(m.Ticker))
            .OrderBy(m => m.OpenTime)
            .ThenBy(m => m.Ticker, StringComparer.Ordinal)
            .ToList();
        if (upcoming.Count > 0 && (_upcoming.Count == 0 || upcoming[0].Ticker != _upcoming[0].Ticker))
        {
            LogNextMarket(_logger, upcoming[0].Ticker, upcoming[0].OpenTime!.Value, upcoming.Count);
        }

        _upcoming = upcoming;
    }

    private bool RecordResults(DateTimeOffset now)
    {
        var changed = false;
        foreach (var (ticker, live) in _live.ToArray())
        {
            if (_settlements.TryRecord(live.Market, now))
            {
                _live.Remove(ticker);
                _determined.Remove(ticker);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>A market without a result long after the longest settlement lag seen (24 h) is given up on, loudly.</summary>
    private bool ForgetAbandoned(DateTimeOffset now)
    {
        var changed = false;
        foreach (var (ticker, live) in _live.ToArray())
        {
            if (live.Market.CloseTime is { } close && close < now - BackfillLimit)
            {
                LogAbandoned(_logger, ticker, close);
                _live.Remove(ticker);
                _determined.Remove(ticker);
                changed = true;
            }
        }

        _upcoming.RemoveAll(m => m.OpenTime < now - TimeSpan.FromHours(1));
        return changed;
    }

    private void Publish() => _board.Publish(_live.Values.Select(l => l.Entry));

    private void Persist(DateTimeOffset now, bool force)
    {
        var sameSet = _state.Tracked.Count == _live.Count + _recovering.Count &&
                      _live.Keys.All(_state.Tracked.ContainsKey) && _recovering.All(_state.Tracked.ContainsKey);
        if (!force && sameSet && now - _lastWatermarkSave < WatermarkSaveInterval)
        {
            return;
        }

        _state.Tracked.Clear();
        foreach (var (ticker, live) in _live)
        {
            _state.Tracked[ticker] = live.Market.CloseTime;
        }

        foreach (var ticker in _recovering)
        {
            _state.Tracked[ticker] = null;
        }

        // Until the look-up of markets closed while down has succeeded, keep the old watermark so a restart repeats it.
        if (_backfillSince is { } since)
        {
            _state.Watermark = since;
        }

        _state.Prune(now);
        _state.Save();
        _lastWatermarkSave = now;
    }

    private DateTimeOffset ComputeNextPoll(DateTimeOffset now)
    {
        var next = (_lastOpenPoll ?? now) + OpenInterval(now);
        if (NextEventInstant(now) is { } instant && instant < next)
        {
            next = instant;
        }

        if (PendingTickers(now).Any())
        {
            var pendingAt = (_lastPendingPoll ?? now) + PendingInterval(now);
            next = pendingAt < next ? pendingAt : next;
        }

        var discoveryAt = (_lastDiscovery ?? now) + _discoveryInterval;
        next = discoveryAt < next ? discoveryAt : next;
        if (!_recovered)
        {
            var recoveryAt = (_lastRecoveryAttempt ?? now) + _pollInterval;
            next = recoveryAt < next ? recoveryAt : next;
        }

        return next < now + MinimumPause ? now + MinimumPause : next;
    }

    /// <summary>
    /// The instants at which the open list changes: upcoming open_times, and the open and close times of the markets
    /// in the tick (kept after they pass, so the fast interval lasts <see cref="HotAfterEvent"/> beyond each).
    /// </summary>
    private IEnumerable<DateTimeOffset> EventInstants()
    {
        foreach (var market in _upcoming)
        {
            yield return market.OpenTime!.Value;
        }

        foreach (var live in _live.Values)
        {
            if (live.Market.OpenTime is { } open)
            {
                yield return open;
            }

            if (live.Market.CloseTime is { } close)
            {
                yield return close;
            }
        }
    }

    private DateTimeOffset? NextEventInstant(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var instant in EventInstants())
        {
            if (instant > now && (next is null || instant < next))
            {
                next = instant;
            }
        }

        return next;
    }

    /// <summary>True when an event instant has passed since the last open poll: poll now, whatever the interval says.</summary>
    private bool AtEventInstant(DateTimeOffset now) =>
        _lastOpenPoll is { } last && EventInstants().Any(t => t > last && t <= now);

    private TimeSpan OpenInterval(DateTimeOffset now) =>
        EventInstants().Any(t => now >= t - _fastInterval && now <= t + HotAfterEvent) ? _fastInterval : _pollInterval;

    /// <summary>Live markets to read by ticker: out of the open list (closed, paused) or past their close_time.</summary>
    private IEnumerable<string> PendingTickers(DateTimeOffset now) =>
        _live.Where(p => !p.Value.InOpenList || p.Value.Market.CloseTime <= now || _determined.ContainsKey(p.Key)).Select(p => p.Key);

    private bool PendingDue(DateTimeOffset now) =>
        PendingTickers(now).Any() && (_pendingDirty || Due(_lastPendingPoll, PendingInterval(now), now));

    /// <summary>
    /// Fast right after close (or after the stream said determined), then a tenth of the time since, up to
    /// <see cref="MaxResultPollInterval"/>.
    /// </summary>
    private TimeSpan PendingInterval(DateTimeOffset now)
    {
        var interval = MaxResultPollInterval;
        foreach (var ticker in PendingTickers(now))
        {
            var market = _live[ticker].Market;
            DateTimeOffset? since = _determined.TryGetValue(ticker, out var determined) ? determined : market.CloseTime <= now ? market.CloseTime : null;
            var candidate = since is { } from
                ? TimeSpan.FromTicks(Math.Clamp((now - from).Ticks / 10, _fastInterval.Ticks, MaxResultPollInterval.Ticks))
                : _pollInterval;
            interval = candidate < interval ? candidate : interval;
        }

        return interval;
    }

    private static bool IsTradingNow(KalshiMarket market, DateTimeOffset now) =>
        market.Status == "active" && (market.CloseTime is null || market.CloseTime > now);

    private static bool Due(DateTimeOffset? last, TimeSpan interval, DateTimeOffset now) => last is null || now >= last + interval;

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
        var closed = await FetchCheckedAsync(new MarketQuery { SeriesTicker = _series, Status = "closed", MinCloseTime = from }, cancellationToken);
        var settled = closed.Refused || closed.Markets is null
            ? closed
            : await FetchCheckedAsync(new MarketQuery { SeriesTicker = _series, Status = "settled", MinSettledTime = from }, cancellationToken);
        if (!closed.Refused && !settled.Refused)
        {
            return closed.Markets is null || settled.Markets is null ? null : [.. closed.Markets, .. settled.Markets];
        }

        LogRecoveryFilterRefused(_logger, _series);
        var all = await FetchCheckedAsync(new MarketQuery { SeriesTicker = _series, Limit = RecoveryFallbackLimit }, cancellationToken);
        if (all.Refused)
        {
            LogRecoveryGivenUp(_logger, _series, from);
            return [];
        }

        return all.Markets?
            .Where(m => m.CloseTime is { } close && close >= from && close <= _time.GetUtcNow() && m.Status is not ("active" or "initialized" or "inactive"))
            .ToList();
    }

    private async Task<IReadOnlyList<KalshiMarket>?> FetchByTickersAsync(IReadOnlyList<string> tickers, CancellationToken cancellationToken)
    {
        var all = new List<KalshiMarket>();
        foreach (var batch in tickers.Chunk(TickersPerRequest))
        {
            var markets = await FetchAsync(new MarketQuery { Tickers = batch }, cancellationToken);
            if (markets is null)
            {
                return null;
            }

            all.AddRange(markets);
        }

        return all;
    }

    private async Task<IReadOnlyList<KalshiMarket>?> FetchAsync(MarketQuery query, CancellationToken cancellationToken) =>
        (await FetchCheckedAsync(query, cancellationToken)).Markets;

    /// <summary>The markets, or null when the read failed; Refused when Kalshi answered 400 (asking again will not help).</summary>
    private async Task<(IReadOnlyList<KalshiMarket>? Markets, bool Refused)> FetchCheckedAsync(MarketQuery query, CancellationToken cancellationToken)
    {
        try
        {
            var markets = await _source.GetMarketsAsync(query, cancellationToken);
            _activity.PollSucceeded(_time.GetUtcNow());
            if (_failingSince is { } since)
            {
                LogPollRecovered(_logger, (_time.GetUtcNow() - since).TotalSeconds);
                _failingSince = null;
            }

            return (markets, false);
        }
        catch (KalshiApiException ex)
        {
            var now = _time.GetUtcNow();
            _activity.PollFailed(now, ex.Message);
            if (_failingSince is null)
            {
                _failingSince = now;
                _lastFailureLog = now;
                LogPollFailed(_logger, query.ToString(), ex.Message);
            }
            else if (now - _lastFailureLog >= FailureLogInterval)
            {
                _lastFailureLog = now;
                LogStillFailing(_logger, (now - _failingSince.Value).TotalSeconds, ex.Message);
            }

            return (null, ex.StatusCode == System.Net.HttpStatusCode.BadRequest);
        }
    }

    /// <summary>A market in the tick: its latest data, when that arrived, and whether the open list still has it.</summary>
    private sealed record LiveMarket(KalshiMarket Market, DateTimeOffset ReceivedAt, bool InOpenList)
    {
        public TickMarketEntry Entry { get; } = new(Market, ReceivedAt);
    }

    [LoggerMessage(EventId = 430, Level = LogLevel.Warning, Message = "Kalshi poll failed ({Query}): {Reason}. Keeping the last known markets")]
    private static partial void LogPollFailed(ILogger logger, string query, string reason);

    [LoggerMessage(EventId = 431, Level = LogLevel.Warning, Message = "Kalshi polls still failing after {Seconds:F0} s: {Reason}")]
    private static partial void LogStillFailing(ILogger logger, double seconds, string reason);

    [LoggerMessage(EventId = 432, Level = LogLevel.Information, Message = "Kalshi polls work again after {Seconds:F0} s")]
    private static partial void LogPollRecovered(ILogger logger, double seconds);

    [LoggerMessage(EventId = 433, Level = LogLevel.Information, Message = "Market {Ticker} is open ({OpenTime:o} to {CloseTime:o})")]
    private static partial void LogMarketOpened(ILogger logger, string ticker, DateTimeOffset? openTime, DateTimeOffset? closeTime);

    [LoggerMessage(EventId = 434, Level = LogLevel.Debug, Message = "Next market {Ticker} opens at {OpenTime:o} ({Count} not yet open)")]
    private static partial void LogNextMarket(ILogger logger, string ticker, DateTimeOffset openTime, int count);

    [LoggerMessage(EventId = 435, Level = LogLevel.Information, Message = "Resumed tracking {Count} markets from the previous run")]
    private static partial void LogRecoveredTracked(ILogger logger, int count);

    [LoggerMessage(EventId = 436, Level = LogLevel.Warning, Message = "Market {Ticker} from the previous run is not known to Kalshi any more; dropped")]
    private static partial void LogRecoveryTickerUnknown(ILogger logger, string ticker);

    [LoggerMessage(EventId = 437, Level = LogLevel.Information, Message = "Looked up markets closed while the collector was down (since {Since:o}): {Count} to record")]
    private static partial void LogBackfilled(ILogger logger, int count, DateTimeOffset since);

    [LoggerMessage(EventId = 421, Level = LogLevel.Information, Message = "Market {Ticker} {Event} on the stream (result {Result}); reading its expiration value from REST")]
    private static partial void LogDeterminedOnStream(ILogger logger, string ticker, string @event, string result);

    [LoggerMessage(EventId = 422, Level = LogLevel.Warning, Message = "Kalshi refused the filtered look-up of {Series} markets closed while the collector was down (400); listing the series without filters and selecting by close time")]
    private static partial void LogRecoveryFilterRefused(ILogger logger, string series);

    [LoggerMessage(EventId = 423, Level = LogLevel.Error, Message = "Kalshi refused even the plain listing of {Series} (400): settlements of markets closed since {Since:o} while the collector was down are not looked up; run `kxcollector backfill --what markets` for them")]
    private static partial void LogRecoveryGivenUp(ILogger logger, string series, DateTimeOffset since);

    [LoggerMessage(EventId = 438, Level = LogLevel.Warning, Message = "Market {Ticker} closed at {CloseTime:o} and still has no result; no longer tracked")]
    private static partial void LogAbandoned(ILogger logger, string ticker, DateTimeOffset closeTime);
}
