using System.Text;
using KxCollector.Pricing;
using Microsoft.Extensions.Logging;

namespace KxCollector.Feeds;

internal abstract partial class ExchangeFeed
{
    // Enough for a debug look at a bad frame without writing megabytes of it to the journal.
    private const int MalformedSampleBytes = 256;

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
                    _board.Publish(Exchange, quote);
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
}
