using KxCollector.Cli;
using KxCollector.Kalshi.Rest;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Markets;

/// <summary>
/// One series' market reads from Kalshi's REST API: a failed read is null (the caller keeps the last known state),
/// counted in <see cref="KalshiActivity"/> and told once per outage through an <see cref="OutageReporter"/>.
/// </summary>
internal sealed partial class MarketReader(IKalshiMarketSource source, TimeProvider time, ILogger logger, KalshiActivity activity)
{
    /// <summary>Tickers per by-ticker request; keeps URLs short.</summary>
    public const int TickersPerRequest = 50;

    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromMinutes(1);

    private readonly OutageReporter _outage = new(time, FailureLogInterval);

    /// <summary>Reads Kalshi answered (a 400 counts: the host is up, only the query was refused).</summary>
    public long Answered { get; private set; }

    /// <summary>Reads that got no answer from Kalshi (unreachable, timed out, 429/5xx after the client's retries).</summary>
    public long Unanswered { get; private set; }

    /// <summary>The markets, or null when the read failed.</summary>
    public async Task<IReadOnlyList<KalshiMarket>?> FetchAsync(MarketQuery query, CancellationToken cancellationToken) =>
        (await FetchCheckedAsync(query, cancellationToken)).Markets;

    /// <summary>The markets with these tickers, in batches; null when any batch failed.</summary>
    public async Task<IReadOnlyList<KalshiMarket>?> FetchByTickersAsync(IReadOnlyList<string> tickers, CancellationToken cancellationToken)
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

    /// <summary>The markets, or null when the read failed; Refused when Kalshi answered 400 (asking again will not help).</summary>
    public async Task<(IReadOnlyList<KalshiMarket>? Markets, bool Refused)> FetchCheckedAsync(MarketQuery query, CancellationToken cancellationToken)
    {
        try
        {
            var markets = await source.GetMarketsAsync(query, cancellationToken);
            Answered++;
            activity.PollSucceeded(time.GetUtcNow());
            if (_outage.Succeeded() is { } outage)
            {
                LogPollRecovered(logger, outage.Duration.TotalSeconds, outage.Failures);
            }

            return (markets, false);
        }
        catch (KalshiApiException ex)
        {
            var refused = ex.StatusCode == System.Net.HttpStatusCode.BadRequest;
            if (refused)
            {
                Answered++;
            }
            else
            {
                Unanswered++;
            }

            activity.PollFailed(time.GetUtcNow(), ex.Message);
            switch (_outage.Failed())
            {
                case OutageReport.First:
                    LogPollFailed(logger, query.ToString(), ex.Message);
                    break;
                case OutageReport.Reminder:
                    LogStillFailing(logger, _outage.Duration.TotalSeconds, ex.Message);
                    break;
            }

            return (null, refused);
        }
    }

    [LoggerMessage(EventId = 430, Level = LogLevel.Warning, Message = "Kalshi poll failed ({Query}): {Reason}. Keeping the last known markets")]
    private static partial void LogPollFailed(ILogger logger, string query, string reason);

    [LoggerMessage(EventId = 431, Level = LogLevel.Warning, Message = "Kalshi polls still failing after {Seconds:F0} s: {Reason}")]
    private static partial void LogStillFailing(ILogger logger, double seconds, string reason);

    [LoggerMessage(EventId = 432, Level = LogLevel.Information, Message = "Kalshi polls work again after {Seconds:F0} s ({Failures} failed)")]
    private static partial void LogPollRecovered(ILogger logger, double seconds, int failures);
}
