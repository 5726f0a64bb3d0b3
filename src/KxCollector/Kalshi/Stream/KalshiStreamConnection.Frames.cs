using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Stream;

/// <summary>What the receive loop does with each frame: acks, errors, quotes, books with sequence checks, trades, lifecycle.</summary>
internal sealed partial class KalshiStreamConnection
{
    private enum SeqCheck
    {
        InOrder,
        Gap,
        Duplicate,
    }

    /// <summary>Handles one received text frame. A subscription Kalshi ends, or a re-snapshot it refuses, costs that
    /// subscription only: it is subscribed again, the connection stays.</summary>
    internal void OnFrame(ReadOnlySpan<byte> json, DateTimeOffset now)
    {
        if (!KalshiFrameParser.TryParse(json, _tickerNames, out var frame, out var error))
        {
            OnMalformed(error ?? "unknown");
            return;
        }

        switch (frame)
        {
            case SubscribedFrame subscribed:
                OnSubscribed(subscribed);
                break;
            case OkFrame ok:
                OnOk(ok.Id, ok.Sid, ok.Seq);
                break;
            case UnsubscribedFrame unsubscribed:
                OnOk(unsubscribed.Id, unsubscribed.Sid, unsubscribed.Seq);
                break;
            case ErrorFrame refusal:
                OnError(refusal, now);
                break;
            case TickerFrame ticker:
                lock (_gate)
                {
                    if (_subscriptions?.Covers(ticker.MarketTicker) == true)
                    {
                        _board.ApplyTicker(ticker, now);
                    }
                }

                break;
            case OrderbookSnapshotFrame snapshot:
                OnSnapshot(snapshot);
                break;
            case OrderbookDeltaFrame delta:
                OnDelta(delta);
                break;
            case TradeFrame trade:
                if (trade is { Sid: { } tradeSid, Seq: { } tradeSeq })
                {
                    lock (_gate)
                    {
                        var check = Check(tradeSid, tradeSeq);
                        if (check != SeqCheck.InOrder)
                        {
                            BreakSequence(tradeSid, check);
                        }
                    }
                }

                _recorder.RecordTrade(trade, now);
                break;
            case LifecycleFrame lifecycle:
                _recorder.RecordLifecycle(lifecycle, now);
                break;
            case IndexValueFrame:
                OnIndexFrame(json, now);
                break;
            default:
                // Types we do not use (and ones Kalshi adds later) are ignored by design.
                break;
        }
    }

    private void OnSubscribed(SubscribedFrame frame)
    {
        var indexAck = false;
        lock (_gate)
        {
            indexAck = _subscriptions?.TryAckIndex(frame.Id, frame.Channel, frame.Sid) == true;
            _subscriptions?.OnSubscribed(frame.Id, frame.Channel, frame.Sid);
        }

        if (indexAck)
        {
            OfficialIndex?.OnSubscribed();
        }

        LogSubscribed(_logger, Number, frame.Channel ?? "?", frame.Sid);
    }

    private void OnOk(long? id, long? sid, long? seq)
    {
        lock (_gate)
        {
            _subscriptions?.OnOk(id);

            // Some answers to update_subscription carry the sid's next seq; count it only when it is the next one,
            // so both readings of the protocol (it counts, it does not) keep the sequence whole.
            if (sid is { } s && seq is { } q && _lastSeq.TryGetValue(s, out var last) && q == last + 1)
            {
                _lastSeq[s] = q;
            }
        }
    }

    /// <summary>Counted always; logged at most once a minute, so a venue bug cannot flood the journal.</summary>
    private void OnMalformed(string reason)
    {
        _stats.Malformed();
        if (_malformedLog.TryAcquire())
        {
            LogMalformed(_logger, Number, reason, _stats.MalformedFrames);
        }
    }

    private void OnError(ErrorFrame frame, DateTimeOffset now)
    {
        var dropped = new List<string>();
        StreamSubscriptions.CommandKind? kind;
        string? ended = null;
        lock (_gate)
        {
            kind = _subscriptions?.OnError(frame.Id, now, dropped);

            // Codes 10 and 25 with a sid end that subscription, whether or not they answer a command of ours.
            if (frame.Sid is { } sid && StreamSubscriptions.IsTerminal(frame.Code) && _subscriptions?.EndSubscription(sid) is { } channel)
            {
                ended = channel;
                EndedSubscription(sid, channel);
            }
            else if (kind == StreamSubscriptions.CommandKind.Snapshot)
            {
                // Without fresh snapshots the books stay invalid: a new subscription of the book channel brings them.
                _restartBooks = true;
                _signal.Notify();
            }
        }

        foreach (var ticker in dropped)
        {
            _board.Forget(ticker);
        }

        if (kind == StreamSubscriptions.CommandKind.Probe)
        {
            // The probe only wanted an answer; an error is one.
            return;
        }

        if (kind == StreamSubscriptions.CommandKind.SubscribeIndex)
        {
            // A refused official index costs that channel only: never the stream, never a reconnect.
            OfficialIndex?.OnRefused(frame.Code, frame.Message, now);
            return;
        }

        if (ended is not null)
        {
            LogSubscriptionEnded(_logger, Number, ended, frame.Sid ?? 0, frame.Code ?? "none", frame.Message ?? string.Empty);
            return;
        }

        LogKalshiError(_logger, Number, frame.Code ?? "none", frame.Message ?? string.Empty, kind?.ToString() ?? "no command of ours");
    }

    /// <summary>
    /// A subscription is over (Kalshi ended it, or we did): its frames still in flight are ignored, its sequence
    /// forgotten, and for the book channel every book of this connection is invalid until the new subscription's
    /// snapshots. Under _gate; the control loop subscribes the channel again.
    /// </summary>
    private void EndedSubscription(long sid, string channel)
    {
        _endedSids.Add(sid);
        _lastSeq.Remove(sid);
        _stats.SubscriptionEnded();
        if (channel == StreamSubscriptions.BookChannel && _subscriptions is not null)
        {
            foreach (var ticker in _subscriptions.Markets)
            {
                _board.Find(ticker)?.Book.Invalidate();
            }
        }

        if (channel == StreamSubscriptions.IndexChannel)
        {
            OfficialIndex?.OnSessionEnded();
        }

        _signal.Notify();
    }

    private void OnSnapshot(OrderbookSnapshotFrame frame)
    {
        var ticker = frame.MarketTicker;
        var sid = frame.Sid;
        var seq = frame.Seq;
        lock (_gate)
        {
            if (_endedSids.Contains(sid))
            {
                return;
            }

            if (frame.Id is not null)
            {
                // The answer to our get_snapshot (it carries the command's id; no "ok" comes): a fresh state that
                // supersedes whatever the sequence says, so it is applied and the sequence moves on from it.
                _subscriptions?.OnSnapshotAnswer(frame.Id);
                if (!_lastSeq.TryGetValue(sid, out var last) || seq > last)
                {
                    _lastSeq[sid] = seq;
                }
            }
            else
            {
                var check = Check(sid, seq);
                if (check != SeqCheck.InOrder)
                {
                    BreakSequence(sid, check);
                    if (check == SeqCheck.Duplicate)
                    {
                        // A repeated snapshot is an old state: deltas applied since would be lost.
                        return;
                    }
                }
            }

            if (_subscriptions?.Covers(ticker) != true)
            {
                return;
            }

            _board.GetOrAdd(ticker).Book.ApplySnapshot(frame.YesLevels, frame.NoLevels);
            _stats.Snapshot();
        }
    }

    private void OnDelta(OrderbookDeltaFrame frame)
    {
        var ticker = frame.MarketTicker;
        lock (_gate)
        {
            if (_endedSids.Contains(frame.Sid))
            {
                return;
            }

            var check = Check(frame.Sid, frame.Seq);
            if (check != SeqCheck.InOrder)
            {
                BreakSequence(frame.Sid, check);
                return;
            }

            if (_subscriptions?.Covers(ticker) != true || _board.Find(ticker) is not { } market || !market.Book.IsValid)
            {
                // No book yet (or one awaiting its new snapshot): nothing to apply the change to.
                return;
            }

            if (!market.Book.ApplyDelta(frame.Side, frame.PriceDollars, frame.Delta))
            {
                LogBookInconsistent(_logger, Number, ticker, frame.Seq);
                BreakSequence(frame.Sid, SeqCheck.Gap);
            }
        }
    }

    /// <summary>Sequence per sid: the first frame sets it; then each must be the next number.</summary>
    private SeqCheck Check(long sid, long seq)
    {
        if (!_lastSeq.TryGetValue(sid, out var last) || seq == last + 1)
        {
            _lastSeq[sid] = seq;
            return SeqCheck.InOrder;
        }

        if (seq <= last)
        {
            return SeqCheck.Duplicate;
        }

        _lastSeq[sid] = seq;
        return SeqCheck.Gap;
    }

    /// <summary>
    /// A frame was missed or repeated. For the order-book sid every book it covers is wrong until re-snapshotted (the
    /// missed delta could be any market's): all are marked invalid and fresh snapshots are asked for. Under _gate.
    /// </summary>
    private void BreakSequence(long sid, SeqCheck kind)
    {
        if (kind == SeqCheck.Gap)
        {
            _stats.Gap();
        }
        else
        {
            _stats.Duplicate();
        }

        var isBook = _subscriptions?.SidOf(StreamSubscriptions.BookChannel) == sid;
        LogSequenceBreak(_logger, Number, kind == SeqCheck.Gap ? "gap" : "repeat", sid, isBook);
        if (!isBook || _subscriptions is null)
        {
            return;
        }

        foreach (var ticker in _subscriptions.Markets)
        {
            _board.Find(ticker)?.Book.Invalidate();
        }

        _resnapshot = true;
        _signal.Notify();
    }

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Kalshi stream {Connection} connected to {Url} with key {KeyId}")]
    private static partial void LogConnected(ILogger logger, int connection, Uri url, string keyId);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Kalshi stream {Connection} lost: {Reason}; ticks use the REST poll for its markets until it is back")]
    private static partial void LogConnectionLost(ILogger logger, int connection, string reason);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Kalshi stream {Connection} reconnects in {Seconds:F1} s")]
    private static partial void LogReconnecting(ILogger logger, int connection, double seconds);

    [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "Kalshi stream {Connection} silent for {Seconds:F0} s: treating the link as dead")]
    private static partial void LogSilent(ILogger logger, int connection, double seconds);

    [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "Kalshi stream {Connection} closed by the server ({Status} {Description})")]
    private static partial void LogClosedByServer(ILogger logger, int connection, string status, string description);

    [LoggerMessage(EventId = 606, Level = LogLevel.Warning, Message = "Kalshi stream {Connection}: malformed frame skipped ({Reason}); {Count} so far (logged at most once a minute)")]
    private static partial void LogMalformed(ILogger logger, int connection, string reason, long count);

    [LoggerMessage(EventId = 607, Level = LogLevel.Warning, Message = "Kalshi stream {Connection}: error code {Code} \"{Message}\" in answer to {Command}")]
    private static partial void LogKalshiError(ILogger logger, int connection, string code, string message, string command);

    [LoggerMessage(EventId = 608, Level = LogLevel.Warning, Message = "Kalshi stream {Connection}: sequence {Kind} on sid {Sid} (the order-book subscription, whose books are re-snapshotted: {Books})")]
    private static partial void LogSequenceBreak(ILogger logger, int connection, string kind, long sid, bool books);

    [LoggerMessage(EventId = 609, Level = LogLevel.Debug, Message = "Kalshi stream {Connection}: {Channel} subscribed as sid {Sid}")]
    private static partial void LogSubscribed(ILogger logger, int connection, string channel, long sid);

    [LoggerMessage(EventId = 614, Level = LogLevel.Warning, Message = "Kalshi stream {Connection}: Kalshi ended the {Channel} subscription (sid {Sid}, code {Code} \"{Message}\"); subscribing it again")]
    private static partial void LogSubscriptionEnded(ILogger logger, int connection, string channel, long sid, string code, string message);

    [LoggerMessage(EventId = 615, Level = LogLevel.Warning, Message = "Kalshi stream {Connection}: no snapshot answered get_snapshot within {Seconds:F0} s; subscribing the order books again")]
    private static partial void LogSnapshotUnanswered(ILogger logger, int connection, double seconds);

    [LoggerMessage(EventId = 613, Level = LogLevel.Error, Message = "Kalshi stream {Connection} failed unexpectedly; reconnecting")]
    private static partial void LogSessionCrashed(ILogger logger, int connection, Exception exception);

    [LoggerMessage(EventId = 612, Level = LogLevel.Warning, Message = "Kalshi stream {Connection}: the delta seq {Seq} for {Ticker} would make a size negative; book re-snapshotted")]
    private static partial void LogBookInconsistent(ILogger logger, int connection, string ticker, long seq);
}
