using System.Collections.Concurrent;
using KxCollector.Configuration;
using KxCollector.Kalshi.Rest;
using KxCollector.Kalshi.Settlements;
using KxCollector.Net;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Markets;

/// <summary>
/// Follows a series on Kalshi: its open markets (quotes for the tick), the next ones to open (their open_time is
/// when to look), and those closed but without a result (kept until the result comes, across restarts). A small
/// coordinator: <see cref="PollSchedule"/> says when, <see cref="LiveMarkets"/> holds what is known,
/// <see cref="MarketRecovery"/> catches up on start-up, <see cref="MarketReader"/> reads REST; this class runs
/// them in order, applies the stream's notices and persists the tracked set.
/// <para>One <see cref="PollAsync"/> does whatever is due and sets <see cref="NextPollAt"/>; the hosted service
/// loops on it, tests call it with a hand-driven clock. A failed read keeps the last known state.</para>
/// </summary>
internal sealed partial class MarketTracker
{
    private static readonly TimeSpan WatermarkSaveInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long before its open_time a market is subscribed on the stream. The open list finds a new market a poll
    /// (and up to a CDN copy's 15 s) after it opens, and its trades in that gap would reach no subscription. Two
    /// minutes is many polls ahead, and bounds how many unopened markets of a series with a long upcoming list are
    /// subscribed at once.
    /// </summary>
    public static readonly TimeSpan StreamLeadBeforeOpen = TimeSpan.FromMinutes(2);

    private readonly MarketReader _reader;
    private readonly MarketBoard _board;
    private readonly SettlementRecorder _settlements;
    private readonly KalshiStateFile _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _series;
    private readonly PollSchedule _schedule;
    private readonly LiveMarkets _live;
    private readonly MarketRecovery _recovery;
    private readonly Backoff _unreachable;

    private readonly ConcurrentQueue<LifecycleNotice> _notices = new();
    private readonly WakeSignal _wake = new();
    private bool _nudged;
    private DateTimeOffset? _lastRecoveryAttempt;
    private DateTimeOffset? _lastOpenPoll;
    private DateTimeOffset? _lastPendingPoll;
    private DateTimeOffset? _lastDiscovery;
    private bool _pendingDirty;
    private DateTimeOffset _lastWatermarkSave;

    public MarketTracker(
        IKalshiMarketSource source,
        MarketBoard board,
        SettlementRecorder settlements,
        KalshiStateFile state,
        string seriesTicker,
        KalshiOptions options,
        TimeProvider time,
        ILogger logger,
        KalshiActivity? activity = null,
        Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(state);
        _reader = new MarketReader(source, time, logger, activity ?? new KalshiActivity());
        _board = board;
        _settlements = settlements;
        _state = state;
        _series = seriesTicker;
        _schedule = new PollSchedule(PollIntervals.From(options));
        _time = time;
        _logger = logger;
        _live = new LiveMarkets(logger);
        _unreachable = new Backoff(_schedule.UnreachablePolicy(), time, random: random);

        // The previous run's markets are looked up by ticker before anything else; closed-while-down ones by close time.
        _recovery = new MarketRecovery(_reader, settlements, state, seriesTicker, time, logger);
        NextPollAt = time.GetUtcNow();
    }

    /// <summary>When <see cref="PollAsync"/> next has something to do.</summary>
    public DateTimeOffset NextPollAt { get; private set; }

    /// <summary>Markets in the tick (open, or closed awaiting their result).</summary>
    public IReadOnlyCollection<string> LiveTickers => _live.Tickers;

    /// <summary>The not-yet-open markets known, by open_time.</summary>
    public IReadOnlyList<KalshiMarket> Upcoming => _live.Upcoming;

    /// <summary>
    /// Told by the stream of a lifecycle event of one of this series' markets (any thread). A determined market is
    /// read from REST at once; any event makes the next poll read the lists now rather than at its time.
    /// </summary>
    public void OnLifecycle(LifecycleNotice notice)
    {
        _notices.Enqueue(notice);
        _wake.Notify();
    }

    /// <summary>Waits until <paramref name="delay"/> has passed or a lifecycle event asks for a poll sooner.</summary>
    public async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (!_notices.IsEmpty)
        {
            return;
        }

        await _wake.WaitAsync(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, _time, cancellationToken);
    }

    /// <summary>Polls in a row that got no answer from Kalshi (0 once one is answered).</summary>
    public int UnansweredPolls => _unreachable.Attempt;

    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var answered = _reader.Answered;
        var unanswered = _reader.Unanswered;
        var now = _time.GetUtcNow();
        ApplyNotices(now);
        var changed = false;
        if (!_recovery.Done && _schedule.RecoveryDue(_lastRecoveryAttempt, now))
        {
            _lastRecoveryAttempt = now;
            changed |= await _recovery.RunAsync(_live, now, cancellationToken);
        }

        var nudged = _nudged && _schedule.NudgeDue(_lastOpenPoll, now);
        if (nudged)
        {
            _nudged = false;
            _pendingDirty |= _live.PendingTickers(now).Count > 0;
        }

        if (_schedule.OpenDue(_live.EventInstants(), _lastOpenPoll, now) || nudged)
        {
            changed |= await PollOpenAsync(cancellationToken);
        }

        now = _time.GetUtcNow();
        var pendingSince = _live.PendingSince(now);
        if (pendingSince.Count > 0 && (_pendingDirty || _schedule.PendingDue(pendingSince, _lastPendingPoll, now)))
        {
            await PollPendingAsync(cancellationToken);
        }

        if (_schedule.DiscoveryDue(_lastDiscovery, now))
        {
            await PollUpcomingAsync(cancellationToken);
        }

        now = _time.GetUtcNow();
        changed |= _live.RecordResults(_settlements, now);
        changed |= _live.ForgetAbandoned(now);
        _board.Publish(_live.Entries, _live.OpeningBy(now + StreamLeadBeforeOpen));
        Persist(now, changed);
        now = _time.GetUtcNow();
        var history = new PollHistory(_lastOpenPoll, _lastPendingPoll, _lastDiscovery, _lastRecoveryAttempt, _recovery.Done);
        NextPollAt = BackOffWhileUnreachable(_schedule.Plan(_live.EventInstants(), _live.PendingSince(now), history, now).NextPollAt, answered, unanswered, now);
    }

    /// <summary>
    /// While every read of a poll goes unanswered, the next poll waits longer and longer (<see cref="PollSchedule.UnreachablePolicy"/>),
    /// never sooner than planned; the first answer starts the count over. A lifecycle notice still wakes the loop at once.
    /// </summary>
    private DateTimeOffset BackOffWhileUnreachable(DateTimeOffset planned, long answeredBefore, long unansweredBefore, DateTimeOffset now)
    {
        if (_reader.Answered != answeredBefore)
        {
            _unreachable.Reset();
            return planned;
        }

        if (_reader.Unanswered == unansweredBefore)
        {
            return planned;
        }

        var backedOff = now + _unreachable.NextDelay();
        return backedOff > planned ? backedOff : planned;
    }

    /// <summary>Saves the tracked set and watermark now (shutdown).</summary>
    public void SaveState() => Persist(_time.GetUtcNow(), force: true);

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

            if (notice.EventType is "determined" or "settled" && _live.MarkDetermined(notice.Ticker, now))
            {
                _pendingDirty = true;
                LogDeterminedOnStream(_logger, notice.Ticker, notice.EventType, notice.Result ?? "none");
            }
        }
    }

    private async Task<bool> PollOpenAsync(CancellationToken cancellationToken)
    {
        _lastOpenPoll = _time.GetUtcNow();
        var markets = await _reader.FetchAsync(new MarketQuery { SeriesTicker = _series, Status = "open" }, cancellationToken);
        if (markets is null)
        {
            return false;
        }

        var receivedAt = _time.GetUtcNow();
        var (added, left) = _live.MergeOpenList(markets, receivedAt, _settlements.IsWritten);

        // A market that left the open list (closed, paused) is read by ticker in this same pass.
        _pendingDirty |= left;
        _state.Watermark = receivedAt;
        return added;
    }

    private async Task PollPendingAsync(CancellationToken cancellationToken)
    {
        _lastPendingPoll = _time.GetUtcNow();
        _pendingDirty = false;
        var markets = await _reader.FetchByTickersAsync(_live.PendingTickers(_lastPendingPoll.Value), cancellationToken);
        if (markets is not null)
        {
            _live.MergeByTicker(markets, _time.GetUtcNow());
        }
    }

    private async Task PollUpcomingAsync(CancellationToken cancellationToken)
    {
        _lastDiscovery = _time.GetUtcNow();
        var markets = await _reader.FetchAsync(new MarketQuery { SeriesTicker = _series, Status = "unopened" }, cancellationToken);
        if (markets is not null)
        {
            _live.SetUpcoming(markets);
        }
    }

    private void Persist(DateTimeOffset now, bool force)
    {
        var recovering = _recovery.Tracked;
        var sameSet = _state.Tracked.Count == _live.Count + recovering.Count &&
                      _live.Tickers.All(_state.Tracked.ContainsKey) && recovering.All(_state.Tracked.ContainsKey);
        if (!force && sameSet && now - _lastWatermarkSave < WatermarkSaveInterval)
        {
            return;
        }

        _state.Tracked.Clear();
        foreach (var (ticker, close) in _live.CloseTimes)
        {
            _state.Tracked[ticker] = close;
        }

        foreach (var ticker in recovering)
        {
            _state.Tracked[ticker] = null;
        }

        // Until the look-up of markets closed while down has succeeded, keep the old watermark so a restart repeats it.
        if (_recovery.ClosedSince is { } since)
        {
            _state.Watermark = since;
        }

        _state.Prune(now);
        _state.Save();
        _lastWatermarkSave = now;
    }

    [LoggerMessage(EventId = 421, Level = LogLevel.Information, Message = "Market {Ticker} {Event} on the stream (result {Result}); reading its expiration value from REST")]
    private static partial void LogDeterminedOnStream(ILogger logger, string ticker, string @event, string result);
}
