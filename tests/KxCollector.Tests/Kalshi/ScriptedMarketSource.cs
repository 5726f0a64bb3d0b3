using System.Collections.Concurrent;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Rest;

namespace KxCollector.Tests.Kalshi;

/// <summary>
/// An in-memory Kalshi for tests that drive the clock by hand: markets whose status follows the clock like the
/// fake server's, answered synchronously so a poll completes inside the awaiting test. Records every query.
/// </summary>
internal sealed class ScriptedMarketSource(TimeProvider time) : IKalshiMarketSource
{
    private readonly ConcurrentDictionary<string, ScriptedMarket> _markets = new(StringComparer.Ordinal);

    public List<(DateTimeOffset At, MarketQuery Query)> Queries { get; } = [];

    /// <summary>While true every request fails as Kalshi being down would (after the client's retries).</summary>
    public bool Failing { get; set; }

    /// <summary>
    /// Answer 400 (as the client reports it) to filter pairs Kalshi documents as incompatible: close-time filters with
    /// a status other than closed, settled-time filters with a status other than settled.
    /// </summary>
    public bool RejectIncompatibleFilters { get; set; }

    /// <summary>Answer 400 to any timestamp filter at all (the reading under which even documented pairs may be refused).</summary>
    public bool RejectTimestampFilters { get; set; }

    /// <summary>The queries answered 400.</summary>
    public List<MarketQuery> Refused { get; } = [];

    public ScriptedMarket Add(ScriptedMarket market)
    {
        _markets[market.Ticker] = market;
        return market;
    }

    public IEnumerable<DateTimeOffset> OpenPollTimes => Queries.Where(q => q.Query.Status == "open").Select(q => q.At);

    public Task<IReadOnlyList<KalshiMarket>> GetMarketsAsync(MarketQuery query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Queries.Add((now, query));
        if (Failing)
        {
            throw new KalshiApiException("HTTP 503 (scripted outage)", System.Net.HttpStatusCode.ServiceUnavailable);
        }

        var closeFilter = query.MinCloseTime is not null || query.MaxCloseTime is not null;
        if ((RejectTimestampFilters && (closeFilter || query.MinSettledTime is not null)) ||
            (RejectIncompatibleFilters && ((closeFilter && query.Status is not (null or "closed")) ||
                                           (query.MinSettledTime is not null && query.Status is not (null or "settled")) ||
                                           (closeFilter && query.MinSettledTime is not null))))
        {
            Refused.Add(query);
            throw new KalshiApiException($"HTTP 400 invalid_parameters {query}", System.Net.HttpStatusCode.BadRequest);
        }

        IReadOnlyList<KalshiMarket> result = _markets.Values
            .Where(m => query.SeriesTicker is null || m.Ticker.StartsWith(query.SeriesTicker + "-", StringComparison.Ordinal))
            .Where(m => query.Tickers is null || query.Tickers.Contains(m.Ticker))
            .Where(m => query.MinCloseTime is null || m.Close.ToUnixTimeSeconds() >= query.MinCloseTime.Value.ToUnixTimeSeconds())
            .Where(m => query.MinSettledTime is null || (m.FinalizedAt is { } f && f <= now && f.ToUnixTimeSeconds() >= query.MinSettledTime.Value.ToUnixTimeSeconds()))
            .Select(m => m.At(now))
            .Where(m => query.Status is null || Matches(m.Status, query.Status))
            .OrderBy(m => m.Ticker, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(result);
    }

    private static bool Matches(string status, string filter) => filter switch
    {
        "unopened" => status == "initialized",
        "open" => status == "active",
        "closed" => status is "closed" or "determined",
        "settled" => status == "finalized",
        _ => false,
    };
}

internal sealed record ScriptedMarket(string Ticker, DateTimeOffset Open, DateTimeOffset Close)
{
    /// <summary>When Kalshi actually shows it active (it can lag open_time a little).</summary>
    public DateTimeOffset? ActiveFrom { get; init; }

    /// <summary>When the result is published; null: not yet.</summary>
    public DateTimeOffset? FinalizedAt { get; set; }

    public string Result { get; init; } = "yes";

    public string ExpirationValue { get; init; } = "65776.62";

    public decimal? FloorStrike { get; init; } = 65744.55m;

    public string YesBid { get; set; } = "0.0560";

    public KalshiMarket At(DateTimeOffset now)
    {
        var status = now < (ActiveFrom ?? Open) ? "initialized"
            : now < Close ? "active"
            : FinalizedAt is { } f && now >= f ? "finalized"
            : "closed";
        var final = status == "finalized";
        return new KalshiMarket
        {
            Ticker = Ticker,
            Status = status,
            OpenTime = Open,
            CloseTime = Close,
            FloorStrike = FloorStrike,
            YesBid = decimal.Parse(YesBid, System.Globalization.CultureInfo.InvariantCulture),
            Result = final ? Result : string.Empty,
            ExpirationValueText = final ? ExpirationValue : string.Empty,
            ExpirationValue = final ? KalshiMarketParser.ParseExpirationValue(ExpirationValue) : null,
        };
    }
}
