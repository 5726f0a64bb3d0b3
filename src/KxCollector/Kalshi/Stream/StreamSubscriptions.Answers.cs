namespace KxCollector.Kalshi.Stream;

/// <summary>Kalshi's answers to the commands: acks with their sids, ok, errors (refusals and ended subscriptions) and snapshots.</summary>
internal sealed partial class StreamSubscriptions
{
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
}
