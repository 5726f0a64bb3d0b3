using System.Buffers;
using System.Text.Json;

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
        _now = now;
        var commands = new List<byte[]>();
        if (_lifecycle && !_lifecycleRequested)
        {
            _lifecycleRequested = true;
            commands.Add(Subscribe(CommandKind.SubscribeLifecycle, [LifecycleChannel], markets: null));
        }

        foreach (var (ticker, at) in _refused.ToArray())
        {
            if (now - at >= RefusedRetryAfter || !wanted.Contains(ticker))
            {
                _refused.Remove(ticker);
            }
        }

        if (_pending.Values.Any(c => c.Kind is CommandKind.SubscribeMarkets or CommandKind.Resubscribe))
        {
            return commands;
        }

        var target = wanted.Where(t => !_refused.ContainsKey(t)).ToHashSet(StringComparer.Ordinal);
        var sids = MarketChannels.Select(SidOf).ToList();
        var missing = MarketChannels.Where(c => SidOf(c) is null).ToArray();
        if (missing.Length > 0 && missing.Length < MarketChannels.Length)
        {
            // Kalshi ended one channel's subscription: that channel alone is subscribed again for the markets the
            // others cover; adds and deletes wait until its sid is known.
            if (_markets.Count > 0 && now >= _resubscribeNotBefore)
            {
                commands.Add(Subscribe(CommandKind.Resubscribe, missing, _markets.Order(StringComparer.Ordinal).ToList()));
            }

            return commands;
        }

        if (missing.Length > 0)
        {
            dropped.AddRange(_markets.Where(t => !target.Contains(t)));
            _markets.Clear();
            if (target.Count > 0)
            {
                var markets = target.Order(StringComparer.Ordinal).ToList();
                commands.Add(Subscribe(CommandKind.SubscribeMarkets, MarketChannels, markets));
                _markets.UnionWith(markets);
            }

            return commands;
        }

        var remove = _markets.Where(t => !target.Contains(t)).Order(StringComparer.Ordinal).ToList();
        if (target.Count == 0)
        {
            if (remove.Count > 0)
            {
                commands.Add(Unsubscribe(sids.Select(s => s!.Value).ToList()));
                foreach (var channel in MarketChannels)
                {
                    _sidByChannel.Remove(channel);
                }

                _markets.Clear();
                dropped.AddRange(remove);
            }

            return commands;
        }

        var add = target.Where(t => !_markets.Contains(t)).Order(StringComparer.Ordinal).ToList();
        foreach (var sid in sids)
        {
            if (add.Count > 0)
            {
                commands.Add(Update(CommandKind.AddMarkets, sid!.Value, add));
            }

            if (remove.Count > 0)
            {
                commands.Add(Update(CommandKind.DeleteMarkets, sid!.Value, remove));
            }
        }

        _markets.UnionWith(add);
        _markets.ExceptWith(remove);
        dropped.AddRange(remove);
        return commands;
    }

    /// <summary>Asks for fresh snapshots of every book of the order-book subscription (after a gap); null without one.</summary>
    public byte[]? SnapshotCommand(DateTimeOffset now)
    {
        _now = now;
        return SidOf(BookChannel) is { } sid && _markets.Count > 0
            ? Update(CommandKind.Snapshot, sid, _markets.Order(StringComparer.Ordinal).ToList())
            : null;
    }

    /// <summary>
    /// True when a command has waited longer than <paramref name="limit"/> for its answer. A subscribe Kalshi never
    /// answers would otherwise leave the connection alive but subscribed to nothing, for ever: the caller reconnects.
    /// get_snapshot is left out: Kalshi answers it with the snapshots themselves and promises no "ok" (see
    /// <see cref="TakeOverdueSnapshot"/>).
    /// </summary>
    public bool HasOverdue(DateTimeOffset now, TimeSpan limit) =>
        _pending.Values.Any(c => c.Kind != CommandKind.Snapshot && now - c.SentAt > limit);

    /// <summary>
    /// True (once) when a get_snapshot has had no snapshot in answer for <paramref name="limit"/>: the caller then
    /// ends the book subscription and subscribes it again, which brings snapshots without costing the connection.
    /// </summary>
    public bool TakeOverdueSnapshot(DateTimeOffset now, TimeSpan limit)
    {
        var overdue = _pending.Where(p => p.Value.Kind == CommandKind.Snapshot && now - p.Value.SentAt > limit).Select(p => p.Key).ToList();
        foreach (var id in overdue)
        {
            _pending.Remove(id);
        }

        return overdue.Count > 0;
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

    /// <summary>An orderbook_snapshot carrying a command id answers that get_snapshot.</summary>
    public void OnSnapshotAnswer(long? id)
    {
        if (id is { } key && _pending.TryGetValue(key, out var command) && command.Kind == CommandKind.Snapshot)
        {
            _pending.Remove(key);
        }
    }

    /// <summary>
    /// Kalshi ended the subscription <paramref name="sid"/> (a terminal error, or we gave up on it): its channel is
    /// forgotten so <see cref="Reconcile"/> subscribes it again. Returns the channel, null for a sid not ours.
    /// </summary>
    public string? EndSubscription(long sid)
    {
        if (ChannelOf(sid) is not { } channel)
        {
            return null;
        }

        _sidByChannel.Remove(channel);
        if (channel == LifecycleChannel)
        {
            _lifecycleRequested = false;
        }

        if (channel == IndexChannel)
        {
            // The index is subscribed by index id, not by market: the connection's index command asks for it again.
            IndexActive = false;
            _indexCommandId = null;
        }

        if (channel == BookChannel)
        {
            // Snapshots asked of the ended sid will not come; the new subscription sends its own.
            foreach (var id in _pending.Where(p => p.Value.Kind == CommandKind.Snapshot).Select(p => p.Key).ToList())
            {
                _pending.Remove(id);
            }
        }

        return channel;
    }

    /// <summary>
    /// A harmless command whose answer proves the link is alive when the markets are quiet (Kalshi's own pings are
    /// answered inside ClientWebSocket and never seen here). Any reply, even an error, counts as a frame.
    /// </summary>
    public byte[] ProbeCommand(DateTimeOffset now)
    {
        _now = now;
        var id = ++_nextId;
        _pending[id] = new Command(CommandKind.Probe, null, now);
        return Build(id, "list_subscriptions", static _ => { });
    }

    /// <summary>Notes the sid of an acknowledged channel; the subscribe is answered once all its channels are.</summary>
    public void OnSubscribed(long? id, string? channel, long sid)
    {
        if (channel is not null)
        {
            _sidByChannel[channel] = sid;
        }

        if (id is { } key && _pending.TryGetValue(key, out var command) &&
            (command.Kind is not (CommandKind.SubscribeMarkets or CommandKind.Resubscribe) || MarketChannels.All(_sidByChannel.ContainsKey)))
        {
            _pending.Remove(key);
        }
    }

    public void OnOk(long? id)
    {
        if (id is { } key)
        {
            _pending.Remove(key);
        }
    }

    /// <summary>
    /// An error answers a command: returns which kind (null when it answers none of ours). Markets a refused
    /// subscribe or add was for are dropped and retried after <see cref="RefusedRetryAfter"/>.
    /// </summary>
    public CommandKind? OnError(long? id, DateTimeOffset now, List<string> dropped)
    {
        ArgumentNullException.ThrowIfNull(dropped);
        if (id is not { } key || !_pending.Remove(key, out var command))
        {
            return null;
        }

        if (command.Kind == CommandKind.Resubscribe)
        {
            // The markets stay covered by the other channels; this one is tried again later.
            _resubscribeNotBefore = now + RefusedRetryAfter;
            return command.Kind;
        }

        if (command.Kind is CommandKind.SubscribeMarkets or CommandKind.AddMarkets && command.Markets is { } markets)
        {
            foreach (var ticker in markets)
            {
                if (_markets.Remove(ticker))
                {
                    dropped.Add(ticker);
                }

                _refused[ticker] = now;
            }
        }

        return command.Kind;
    }

    private byte[] Subscribe(CommandKind kind, string[] channels, List<string>? markets)
    {
        var id = ++_nextId;
        _pending[id] = new Command(kind, markets, _now);
        return Build(id, "subscribe", writer =>
        {
            writer.WriteStartArray("channels");
            foreach (var channel in channels)
            {
                writer.WriteStringValue(channel);
            }

            writer.WriteEndArray();
            if (markets is not null)
            {
                WriteTickers(writer, markets);
            }

            // Kalshi announced use_yes_price's default will flip to true (NO levels in YES prices): the books are
            // read as NO levels in NO-leg prices, so it is asked for explicitly. A ticker subscription otherwise
            // waits for a change before its first quote; quiet markets would show none for minutes.
            if (channels.Contains(BookChannel))
            {
                writer.WriteBoolean("use_yes_price", false);
            }

            if (channels.Contains(TickerChannel))
            {
                writer.WriteBoolean("send_initial_snapshot", true);
            }
        });
    }

    private byte[] Update(CommandKind kind, long sid, List<string> markets)
    {
        var id = ++_nextId;
        _pending[id] = new Command(kind, markets, _now);
        var action = kind switch
        {
            CommandKind.AddMarkets => "add_markets",
            CommandKind.DeleteMarkets => "delete_markets",
            _ => "get_snapshot",
        };
        return Build(id, "update_subscription", writer =>
        {
            writer.WriteNumber("sid", sid);
            WriteTickers(writer, markets);
            writer.WriteString("action", action);
        });
    }

    private byte[] Unsubscribe(List<long> sids)
    {
        var id = ++_nextId;
        _pending[id] = new Command(CommandKind.Unsubscribe, null, _now);
        return Build(id, "unsubscribe", writer =>
        {
            writer.WriteStartArray("sids");
            foreach (var sid in sids)
            {
                writer.WriteNumberValue(sid);
            }

            writer.WriteEndArray();
        });
    }

    private static void WriteTickers(Utf8JsonWriter writer, List<string> markets)
    {
        writer.WriteStartArray("market_tickers");
        foreach (var ticker in markets)
        {
            writer.WriteStringValue(ticker);
        }

        writer.WriteEndArray();
    }

    private static byte[] Build(long id, string cmd, Action<Utf8JsonWriter> writeParams)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            writer.WriteString("cmd", cmd);
            writer.WriteStartObject("params");
            writeParams(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed record Command(CommandKind Kind, List<string>? Markets, DateTimeOffset SentAt);
}
