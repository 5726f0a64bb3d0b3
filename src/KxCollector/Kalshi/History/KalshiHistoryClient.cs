using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Rest;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.History;

/// <summary>
/// Kalshi's history endpoints over the shared <see cref="KalshiRestClient"/> (its retries, backoff and request
/// budget): the cutoff, settled markets (live or /historical), trades (live or /historical) and candlesticks (live
/// or /historical). Every cursor is followed to the end; a cursor that repeats ends paging instead of looping.
/// </summary>
internal sealed partial class KalshiHistoryClient
{
    /// <summary>Kalshi's largest page for markets; trades pages are capped lower by Kalshi.</summary>
    public const int MarketsPageLimit = 1000;

    public const int TradesPageLimit = 1000;

    /// <summary>Periods per candlestick request: long markets (sports, days) are fetched in chunks of this many.</summary>
    public const int CandlesPerRequest = 1000;

    private readonly KalshiRestClient _rest;
    private readonly ILogger _logger;

    public KalshiHistoryClient(KalshiRestClient rest, ILogger logger)
    {
        _rest = rest;
        _logger = logger;
    }

    /// <summary>The live/historical boundary; an API without one (404) has everything live.</summary>
    public async Task<HistoricalCutoff> GetCutoffAsync(CancellationToken cancellationToken)
    {
        try
        {
            var body = await _rest.GetAsync("/historical/cutoff", cancellationToken);
            return Parse(body, "/historical/cutoff", b => KalshiHistoryParser.ParseCutoff(b));
        }
        catch (KalshiApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            LogNoCutoff(_logger);
            return HistoricalCutoff.None;
        }
    }

    /// <summary>GET /markets or /historical/markets with the query, all pages.</summary>
    public async Task<IReadOnlyList<KalshiMarket>> GetMarketsAsync(bool historical, MarketQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = historical ? "/historical/markets" : "/markets";
        var markets = new List<KalshiMarket>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        while (true)
        {
            var body = await _rest.GetAsync(path + query.ToQueryString(cursor), cancellationToken);
            var page = Parse(body, path, b => KalshiMarketParser.ParseMarketsPage(b));
            markets.AddRange(page.Markets);
            if (page.Cursor is null || !seen.Add(page.Cursor))
            {
                return markets;
            }

            cursor = page.Cursor;
        }
    }

    /// <summary>GET /markets/trades or /historical/trades for one market, optionally within [min_ts, max_ts], all pages.</summary>
    public async Task<IReadOnlyList<KalshiTrade>> GetTradesAsync(bool historical, string ticker, long? minTs, long? maxTs, CancellationToken cancellationToken)
    {
        var path = historical ? "/historical/trades" : "/markets/trades";
        var trades = new List<KalshiTrade>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        while (true)
        {
            var query = new StringBuilder("?ticker=").Append(Uri.EscapeDataString(ticker));
            if (minTs is { } min)
            {
                query.Append("&min_ts=").Append(min.ToString(CultureInfo.InvariantCulture));
            }

            if (maxTs is { } max)
            {
                query.Append("&max_ts=").Append(max.ToString(CultureInfo.InvariantCulture));
            }

            query.Append("&limit=").Append(TradesPageLimit.ToString(CultureInfo.InvariantCulture));
            if (cursor is not null)
            {
                query.Append("&cursor=").Append(Uri.EscapeDataString(cursor));
            }

            var body = await _rest.GetAsync(path + query, cancellationToken);
            var page = Parse(body, path, b => KalshiHistoryParser.ParseTradesPage(b));
            trades.AddRange(page.Trades);
            if (page.Cursor is null || !seen.Add(page.Cursor))
            {
                return trades;
            }

            cursor = page.Cursor;
        }
    }

    /// <summary>
    /// Candles of one market ending in [start, end], from /series/{s}/markets/{t}/candlesticks or
    /// /historical/markets/{t}/candlesticks, in chunks of <see cref="CandlesPerRequest"/> periods.
    /// </summary>
    public async Task<IReadOnlyList<KalshiCandle>> GetCandlesAsync(
        bool historical, string series, string ticker, CandleInterval interval, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interval);
        var path = historical
            ? $"/historical/markets/{Uri.EscapeDataString(ticker)}/candlesticks"
            : $"/series/{Uri.EscapeDataString(series)}/markets/{Uri.EscapeDataString(ticker)}/candlesticks";
        var candles = new List<KalshiCandle>();
        var chunk = interval.Period * CandlesPerRequest;
        for (var from = start; from <= end; from += chunk)
        {
            // Chunks overlap by nothing: [from, from + chunk - 1 s] each, the ends inclusive as Kalshi's are.
            var to = from + chunk - TimeSpan.FromSeconds(1) < end ? from + chunk - TimeSpan.FromSeconds(1) : end;
            string? cursor = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                var query = string.Create(
                    CultureInfo.InvariantCulture,
                    $"?start_ts={from.ToUnixTimeSeconds()}&end_ts={to.ToUnixTimeSeconds()}&period_interval={interval.Minutes}");
                if (cursor is not null)
                {
                    query += "&cursor=" + Uri.EscapeDataString(cursor);
                }

                var body = await _rest.GetAsync(path + query, cancellationToken);
                var (page, next) = Parse(body, path, b => KalshiHistoryParser.ParseCandles(b));
                candles.AddRange(page);
                if (next is null || !seen.Add(next))
                {
                    break;
                }

                cursor = next;
            }
        }

        return candles;
    }

    private static T Parse<T>(byte[] body, string path, Func<byte[], T> parse)
    {
        try
        {
            return parse(body);
        }
        catch (JsonException ex)
        {
            throw new KalshiApiException($"GET {path} returned a body that cannot be read: {ex.Message}", null, ex);
        }
    }

    [LoggerMessage(EventId = 800, Level = LogLevel.Warning, Message = "Kalshi has no /historical/cutoff here (404); reading everything from the live endpoints")]
    private static partial void LogNoCutoff(ILogger logger);
}
