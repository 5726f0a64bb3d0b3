namespace KxCollector.Kalshi.Stream;

/// <summary>
/// The subscription bookkeeping of one stream connection: which markets it covers, the sid Kalshi gave each channel,
/// and the commands still unanswered. <see cref="Reconcile"/> turns a wanted market set into commands: one
/// <c>subscribe</c> for the three market channels (acks come per channel, <c>sid</c> in <c>msg</c> or top level),
/// then <c>update_subscription</c> <c>add_markets</c>/<c>delete_markets</c> per sid, and <c>unsubscribe</c> when no
/// market is left (an empty market list would mean every market on Kalshi). Pure and single-threaded: the
/// connection calls it under its own lock, and tests drive it directly.
/// </summary>
internal sealed partial class StreamSubscriptions
{
    public const string TickerChannel = "ticker";
    public const string BookChannel = "orderbook_delta";
    public const string TradeChannel = "trade";
    public const string LifecycleChannel = "market_lifecycle_v2";

    /// <summary>How long markets Kalshi refused to add are left out before they are tried again.</summary>
    public static readonly TimeSpan RefusedRetryAfter = TimeSpan.FromSeconds(30);

    private static readonly string[] MarketChannels = [TickerChannel, BookChannel, TradeChannel];
    private static readonly IReadOnlyList<byte[]> NoCommands = [];

    private readonly bool _lifecycle;
    private readonly Dictionary<long, Command> _pending = [];
    private readonly Dictionary<string, long> _sidByChannel = new(StringComparer.Ordinal);
    private readonly HashSet<string> _markets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _refused = new(StringComparer.Ordinal);
    private long _nextId;
    private bool _lifecycleRequested;
    private DateTimeOffset _resubscribeNotBefore;
    private DateTimeOffset _now;

    /// <param name="lifecycle">True for the one connection that also carries market_lifecycle_v2 (all markets).</param>
    public StreamSubscriptions(bool lifecycle) => _lifecycle = lifecycle;

    public enum CommandKind
    {
        SubscribeMarkets,
        SubscribeLifecycle,
        AddMarkets,
        DeleteMarkets,
        Snapshot,
        Unsubscribe,
        Probe,

        /// <summary>A channel subscribed again after Kalshi ended its subscription (errors 10, 25).</summary>
        Resubscribe,

        /// <summary>The official index channel (cfbenchmarks_value), subscribed by index id, not by market.</summary>
        SubscribeIndex,
    }

    /// <summary>Kalshi's codes for an error that ends the subscription it names by sid: 10 channel error, 25 buffer overflow.</summary>
    public static bool IsTerminal(string? code) => code is "10" or "25";

    /// <summary>The markets this connection's subscriptions cover (as requested; acks confirm the sids).</summary>
    public IReadOnlyCollection<string> Markets => _markets;

    public int PendingCount => _pending.Count;

    public long? SidOf(string channel) => _sidByChannel.TryGetValue(channel, out var sid) ? sid : null;

    public string? ChannelOf(long sid) => _sidByChannel.FirstOrDefault(p => p.Value == sid).Key;

    public bool Covers(string ticker) => _markets.Contains(ticker);

    /// <summary>
    /// Commands that move the subscriptions toward <paramref name="wanted"/>, and the markets dropped from them (their
    /// stream state is no longer current). While the first subscribe is unanswered nothing else is sent, so the
    /// add/delete that follows goes to known sids.
    /// </summary>
    public IReadOnlyList<byte[]> Reconcile(IReadOnlySet<string> wanted, DateTimeOffset now, List<string> dropped)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(dropped);
        // Called about once a second on every connection, nearly always with nothing to change: that path reads the
        // sets in place and allocates nothing (a copy of the wanted set per call was most of the stream's garbage).
        _now = now;
        List<byte[]>? commands = null;
        if (_lifecycle && !_lifecycleRequested)
        {
            _lifecycleRequested = true;
            (commands ??= []).Add(Subscribe(CommandKind.SubscribeLifecycle, [LifecycleChannel], markets: null));
        }

        ForgetRefusals(wanted, now);
        if (AwaitsSubscribe())
        {
            return commands ?? NoCommands;
        }

        var missing = 0;
        foreach (var channel in MarketChannels)
        {
            missing += _sidByChannel.ContainsKey(channel) ? 0 : 1;
        }

        if (missing > 0 && missing < MarketChannels.Length)
        {
            // Kalshi ended one channel's subscription: that channel alone is subscribed again for the markets the
            // others cover; adds and deletes wait until its sid is known.
            if (_markets.Count > 0 && now >= _resubscribeNotBefore)
            {
                var channels = MarketChannels.Where(c => !_sidByChannel.ContainsKey(c)).ToArray();
                (commands ??= []).Add(Subscribe(CommandKind.Resubscribe, channels, Sorted(_markets)));
            }

            return commands ?? NoCommands;
        }

        if (missing > 0)
        {
            foreach (var ticker in _markets)
            {
                if (!IsTarget(wanted, ticker))
                {
                    dropped.Add(ticker);
                }
            }

            _markets.Clear();
            if (NewTargets(wanted) is { } markets)
            {
                (commands ??= []).Add(Subscribe(CommandKind.SubscribeMarkets, MarketChannels, markets));
                _markets.UnionWith(markets);
            }

            return commands ?? NoCommands;
        }

        List<string>? remove = null;
        foreach (var ticker in _markets)
        {
            if (!IsTarget(wanted, ticker))
            {
                (remove ??= []).Add(ticker);
            }
        }

        remove?.Sort(StringComparer.Ordinal);
        // ForgetRefusals left only refusals of wanted markets, so the target (wanted less refused) is counted without
        // walking it; markets kept are all targets, so there is something to add only when the target is larger.
        var targets = wanted.Count - _refused.Count;
        if (targets == 0)
        {
            if (remove is not null)
            {
                var sids = new List<long>(MarketChannels.Length);
                foreach (var channel in MarketChannels)
                {
                    sids.Add(_sidByChannel[channel]);
                    _sidByChannel.Remove(channel);
                }

                (commands ??= []).Add(Unsubscribe(sids));
                _markets.Clear();
                dropped.AddRange(remove);
            }

            return commands ?? NoCommands;
        }

        var add = targets > _markets.Count - (remove?.Count ?? 0) ? NewTargets(wanted) : null;
        foreach (var channel in MarketChannels)
        {
            var sid = _sidByChannel[channel];
            if (add is not null)
            {
                (commands ??= []).Add(Update(CommandKind.AddMarkets, sid, add));
            }

            if (remove is not null)
            {
                (commands ??= []).Add(Update(CommandKind.DeleteMarkets, sid, remove));
            }
        }

        if (add is not null)
        {
            _markets.UnionWith(add);
        }

        if (remove is not null)
        {
            _markets.ExceptWith(remove);
            dropped.AddRange(remove);
        }

        return commands ?? NoCommands;
    }

    /// <summary>Asks for fresh snapshots of every book of the order-book subscription (after a gap); null without one.</summary>
    public byte[]? SnapshotCommand(DateTimeOffset now)
    {
        _now = now;
        return SidOf(BookChannel) is { } sid && _markets.Count > 0
            ? Update(CommandKind.Snapshot, sid, Sorted(_markets))
            : null;
    }

    /// <summary>
    /// True when a command has waited longer than <paramref name="limit"/> for its answer. A subscribe Kalshi never
    /// answers would otherwise leave the connection alive but subscribed to nothing, for ever: the caller reconnects.
    /// get_snapshot is left out: Kalshi answers it with the snapshots themselves and promises no "ok" (see
    /// <see cref="TakeOverdueSnapshot"/>).
    /// </summary>
    public bool HasOverdue(DateTimeOffset now, TimeSpan limit)
    {
        foreach (var command in _pending.Values)
        {
            if (command.Kind != CommandKind.Snapshot && now - command.SentAt > limit)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True (once) when a get_snapshot has had no snapshot in answer for <paramref name="limit"/>: the caller then
    /// ends the book subscription and subscribes it again, which brings snapshots without costing the connection.
    /// </summary>
    public bool TakeOverdueSnapshot(DateTimeOffset now, TimeSpan limit)
    {
        var any = false;
        foreach (var (id, command) in _pending)
        {
            if (command.Kind == CommandKind.Snapshot && now - command.SentAt > limit)
            {
                // Dictionary.Remove does not invalidate its enumerators (.NET Core 3.0 and later).
                _pending.Remove(id);
                any = true;
            }
        }

        return any;
    }

    /// <summary>
    /// Ends our own subscription of <paramref name="channel"/> (its get_snapshot went unanswered, or was refused):
    /// the unsubscribe for its sid, after which <see cref="Reconcile"/> subscribes the channel again. Null without one.
    /// </summary>
    public byte[]? Restart(string channel, DateTimeOffset now)
    {
        _now = now;
        if (SidOf(channel) is not { } sid)
        {
            return null;
        }

        EndSubscription(sid);
        return Unsubscribe([sid]);
    }

    private static List<string> Sorted(IEnumerable<string> tickers)
    {
        var list = new List<string>(tickers);
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// <summary>Refusals are retried after <see cref="RefusedRetryAfter"/>, or forgotten once the market is not wanted.</summary>
    private void ForgetRefusals(IReadOnlySet<string> wanted, DateTimeOffset now)
    {
        if (_refused.Count == 0)
        {
            return;
        }

        foreach (var (ticker, at) in _refused.ToArray())
        {
            if (now - at >= RefusedRetryAfter || !wanted.Contains(ticker))
            {
                _refused.Remove(ticker);
            }
        }
    }

    /// <summary>True while a subscribe of market channels is unanswered: nothing else is sent until its sids are known.</summary>
    private bool AwaitsSubscribe()
    {
        foreach (var command in _pending.Values)
        {
            if (command.Kind is CommandKind.SubscribeMarkets or CommandKind.Resubscribe)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsTarget(IReadOnlySet<string> wanted, string ticker) => wanted.Contains(ticker) && !_refused.ContainsKey(ticker);

    /// <summary>Wanted markets neither refused nor subscribed yet, in ticker order; null when there are none.</summary>
    private List<string>? NewTargets(IReadOnlySet<string> wanted)
    {
        List<string>? targets = null;
        foreach (var ticker in wanted)
        {
            if (!_refused.ContainsKey(ticker) && !_markets.Contains(ticker))
            {
                (targets ??= []).Add(ticker);
            }
        }

        targets?.Sort(StringComparer.Ordinal);
        return targets;
    }
}
