using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using KxCollector.Pricing;
using Microsoft.Extensions.Logging;

namespace KxCollector.Feeds;

internal abstract partial class ExchangeFeed
{
    // Enough for a debug look at a bad frame without writing megabytes of it to the journal.
    private const int MalformedSampleBytes = 256;

    // Venues' ordinary messages are a few KB (a Bitstamp 100-level book is ~6 KB); only freak ones go past this.
    private const int ShrinkAboveBytes = 1024 * 1024;

    private byte[] _buffer = [];
    private Task<FeedConnection?>? _handover;

    /// <summary>
    /// Reads messages until the connection ends, reassembling fragments into one growing pooled buffer. Returns why
    /// the venue ended it; throws when the socket fails or is aborted (silence, handover, shutdown).
    /// </summary>
    private async Task<string> ReceiveAsync(FeedConnection connection, CancellationToken stoppingToken)
    {
        var socket = connection.Socket;
        var length = 0;
        var oversized = false;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (_buffer.Length >= Timings.MaxMessageBytes)
                {
                    // Too big to keep: read the rest into the same space and throw it away, keeping the connection.
                    oversized = true;
                    length = 0;
                }
                else
                {
                    Grow(length);
                }
            }

            var result = await socket.ReceiveAsync(_buffer.AsMemory(length), stoppingToken);
            connection.MarkActivity();
            if (result.MessageType == WebSocketMessageType.Close)
            {
                var reason = $"closed by the venue ({socket.CloseStatus} {socket.CloseStatusDescription})".TrimEnd();
                await connection.CloseAsync("closing in reply", stoppingToken);
                return reason;
            }

            length += result.Count;
            if (!result.EndOfMessage)
            {
                continue;
            }

            var receivedAt = _time.GetUtcNow();
            _health.MarkFrame(receivedAt);
            if (oversized)
            {
                oversized = false;
                OnMalformed($"message larger than {Timings.MaxMessageBytes} bytes", []);
            }
            else if (HandleMessage(_buffer.AsSpan(0, length), receivedAt) == FrameKind.ReconnectRequested && _handover is null)
            {
                _handover = HandOverAsync(connection, stoppingToken);
            }

            length = 0;
            ShrinkAfterLargeMessage();
        }
    }

    /// <summary>
    /// Acts on one whole message: publishes a quote, or counts and (rate-limited) logs what was wrong with it.
    /// Returns the message's kind so the receive loop can act on the ones that concern the connection.
    /// </summary>
    internal FrameKind HandleMessage(ReadOnlySpan<byte> message, DateTimeOffset receivedAt)
    {
        var frame = Parse(message);
        switch (frame.Kind)
        {
            case FrameKind.Quote:
                if (ExchangeQuote.TryCreate(frame.Bid, frame.Ask, frame.ExchangeTime, receivedAt, out var quote))
                {
                    _board.Publish(Exchange, quote!);
                }
                else
                {
                    var rejected = _health.MarkRejectedQuote();
                    if (_rejectedLog.TryAcquire())
                    {
                        LogQuoteRejected(_logger, Exchange, frame.Bid, frame.Ask, rejected);
                    }
                }

                break;
            case FrameKind.Malformed:
                OnMalformed(frame.Detail ?? "malformed", message);
                break;
            case FrameKind.Error:
                var error = frame.Detail ?? "error";
                _health.RecordError(error);
                if (_errorLog.TryAcquire())
                {
                    LogVenueError(_logger, Exchange, error);
                }

                break;
            case FrameKind.Subscribed:
                LogSubscribed(_logger, Exchange);
                break;
        }

        return frame.Kind;
    }

    private void OnMalformed(string reason, ReadOnlySpan<byte> message)
    {
        var count = _health.MarkMalformed();
        if (!_malformedLog.TryAcquire())
        {
            return;
        }

        LogMalformed(_logger, Exchange, reason, count);
        if (message.Length > 0 && _logger.IsEnabled(LogLevel.Debug))
        {
            var sample = Encoding.UTF8.GetString(message[..Math.Min(message.Length, MalformedSampleBytes)]);
            LogMalformedSample(_logger, Exchange, message.Length, sample);
        }
    }

    private void Grow(int keep)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, Timings.MaxMessageBytes));
        _buffer.AsSpan(0, keep).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    /// <summary>One odd megabyte message should not pin megabytes per feed for the life of the process.</summary>
    private void ShrinkAfterLargeMessage()
    {
        if (_buffer.Length > ShrinkAboveBytes)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        }
    }

    /// <summary>
    /// Liveness, separate from quote freshness: no bytes at all for the silence timeout means a dead link (a
    /// half-open TCP connection can look open for minutes), so the socket is aborted and the feed reconnects.
    /// The board is left alone; the tick's staleness rule retires the old quote on its own schedule.
    /// </summary>
    private async Task WatchSilenceAsync(FeedConnection connection, CancellationToken connectionEnd)
    {
        while (true)
        {
            var silentFor = _time.GetElapsedTime(connection.LastActivity);
            if (silentFor >= SilenceTimeout)
            {
                LogSilence(_logger, Exchange, silentFor.TotalSeconds, SilenceTimeout.TotalSeconds);
                connection.Abort($"no frame for {silentFor.TotalSeconds:0.0} s");
                return;
            }

            await Task.Delay(SilenceTimeout - silentFor, _time, connectionEnd);
        }
    }
}
