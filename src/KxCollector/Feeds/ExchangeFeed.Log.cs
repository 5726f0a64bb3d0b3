using KxCollector.Pricing;
using Microsoft.Extensions.Logging;

namespace KxCollector.Feeds;

// The feeds' log events, ids 200-299, kept stable for whoever alerts on them. Frame payloads appear only at Debug.
internal abstract partial class ExchangeFeed
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "{Exchange}: connecting to {Url}")]
    private static partial void LogConnecting(ILogger logger, Exchange exchange, Uri url);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "{Exchange}: connected to {Url} and subscribed")]
    private static partial void LogConnected(ILogger logger, Exchange exchange, Uri url);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "{Exchange}: cannot connect to {Url}: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, Exchange exchange, Uri url, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "{Exchange}: connection lost after {Seconds:0.0} s: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, Exchange exchange, double seconds, string reason);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "{Exchange}: no frame for {Seconds:0.0} s (limit {Limit:0.0} s); aborting the connection")]
    private static partial void LogSilence(ILogger logger, Exchange exchange, double seconds, double limit);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "{Exchange}: reconnecting in {Seconds:0.00} s (attempt {Attempt})")]
    private static partial void LogReconnectScheduled(ILogger logger, Exchange exchange, double seconds, int attempt);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "{Exchange}: skipped a malformed frame ({Reason}); {Count} so far (logged at most once a minute)")]
    private static partial void LogMalformed(ILogger logger, Exchange exchange, string reason, long count);

    [LoggerMessage(EventId = 207, Level = LogLevel.Debug, Message = "{Exchange}: malformed frame of {Length} bytes begins: {Sample}")]
    private static partial void LogMalformedSample(ILogger logger, Exchange exchange, int length, string sample);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "{Exchange}: the venue reported an error: {Error} (logged at most once a minute)")]
    private static partial void LogVenueError(ILogger logger, Exchange exchange, string error);

    [LoggerMessage(EventId = 209, Level = LogLevel.Warning, Message = "{Exchange}: rejected a crossed or non-positive quote (bid {Bid}, ask {Ask}); {Count} so far (logged at most once a minute)")]
    private static partial void LogQuoteRejected(ILogger logger, Exchange exchange, decimal bid, decimal ask, long count);

    [LoggerMessage(EventId = 210, Level = LogLevel.Debug, Message = "{Exchange}: subscription acknowledged")]
    private static partial void LogSubscribed(ILogger logger, Exchange exchange);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "{Exchange}: the venue asked for a reconnect; opening a new connection before closing this one")]
    private static partial void LogReconnectRequested(ILogger logger, Exchange exchange);

    [LoggerMessage(EventId = 212, Level = LogLevel.Information, Message = "{Exchange}: moved to the new connection; the old one closed after {Seconds:0.0} s")]
    private static partial void LogHandedOver(ILogger logger, Exchange exchange, double seconds);

    [LoggerMessage(EventId = 213, Level = LogLevel.Warning, Message = "{Exchange}: could not open the requested new connection ({Reason}); staying on the current one")]
    private static partial void LogHandoverFailed(ILogger logger, Exchange exchange, string reason);

    [LoggerMessage(EventId = 214, Level = LogLevel.Error, Message = "{Exchange}: the {Task} failed")]
    private static partial void LogSideTaskFailed(ILogger logger, Exception exception, Exchange exchange, string task);

    [LoggerMessage(EventId = 215, Level = LogLevel.Error, Message = "{Exchange}: unexpected failure on the connection; reconnecting")]
    private static partial void LogUnexpectedFailure(ILogger logger, Exception exception, Exchange exchange);

    [LoggerMessage(EventId = 216, Level = LogLevel.Information, Message = "{Exchange}: stopped")]
    private static partial void LogStopped(ILogger logger, Exchange exchange);

    [LoggerMessage(EventId = 217, Level = LogLevel.Debug, Message = "{Exchange}: a client heartbeat could not be sent ({Reason}); the receive loop will notice the dead link")]
    protected static partial void LogHeartbeatSendFailed(ILogger logger, Exchange exchange, string reason);
}
