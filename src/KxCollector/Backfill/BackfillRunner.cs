using System.Net;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Rest;
using Microsoft.Extensions.Logging;
using KxCollector.Kalshi.History;

namespace KxCollector.Backfill;

/// <summary>
/// Backfills one series into a <see cref="BackfillStore"/>: lists the markets, then for each market (by close
/// time) writes its market record, its trades and its candles, each a journaled unit (see the store for why an
/// interrupted run resumes without writing anything twice).
/// <para>Live or historical: markets that settled before the cutoff's market_settled_ts, and their candles, come
/// from /historical/…; trades created before trades_created_ts from /historical/trades. A market whose trades
/// straddle the trades cutoff is read from both, split at the cutoff with a second of overlap, deduplicated by
/// trade_id.</para>
/// <para>Failures: a request that still fails after its retries (network down, 5xx, 429 storms) stops the run with
/// the exception — rerunning continues. Kalshi refusing one unit (404, 400) is logged and counted, and the run goes
/// on; the unit stays undone for a later run.</para>
/// </summary>
internal sealed partial class BackfillRunner
{
    /// <summary>Markets closed this long before the market cutoff may still have settled after it (a late result):
    /// the live listing reaches back this far past the cutoff.</summary>
    public static readonly TimeSpan LiveListingOverlap = TimeSpan.FromDays(7);

    private readonly KalshiHistoryClient _client;
    private readonly BackfillStore _store;
    private readonly ILogger _logger;

    public BackfillRunner(KalshiHistoryClient client, BackfillStore store, ILogger logger)
    {
        _client = client;
        _store = store;
        _logger = logger;
    }

    public BackfillStats Stats { get; } = new();

    public async Task RunAsync(BackfillRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cutoff = request.WindowOnly ? HistoricalCutoff.None : await _client.GetCutoffAsync(cancellationToken);
        var markets = request.WindowOnly
            ? await ListTradingInWindowAsync(request, cancellationToken)
            : await ListSettledAsync(request, cutoff, cancellationToken);

        var units = new List<(string Unit, Func<CancellationToken, Task> Work)>();
        foreach (var (market, historical) in markets)
        {
            if (request.Markets && market.HasResult && market.CloseTime is not null)
            {
                units.Add(($"market {market.Ticker}", _ => WriteMarketAsync(market)));
            }

            var (from, to) = Span(request, market);
            if (from is null || to is null)
            {
                continue;
            }

            var window = request.WindowOnly ? $" {from.Value.ToUnixTimeSeconds()}-{to.Value.ToUnixTimeSeconds()}" : string.Empty;
            if (request.Trades)
            {
                units.Add(($"trades {market.Ticker}{window}", ct => WriteTradesAsync(request, market, cutoff, from.Value, to.Value, ct)));
            }

            if (request.Candles)
            {
                units.Add(($"candles {request.Interval.Name} {market.Ticker}{window}", ct => WriteCandlesAsync(request, market, historical, from.Value, to.Value, ct)));
            }
        }

        Stats.AddUnits(units.Count);
        LogPlanned(_logger, request.Series, markets.Count, units.Count, units.Count(u => _store.IsDone(u.Unit)));
        foreach (var (unit, work) in units)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_store.IsDone(unit))
            {
                Stats.UnitSkipped();
                continue;
            }

            try
            {
                await work(cancellationToken);
            }
            catch (KalshiApiException ex) when (IsRefusal(ex))
            {
                LogUnitRefused(_logger, unit, ex.Message);
                Stats.UnitFailed();
                continue;
            }

            _store.MarkDone(unit);
            Stats.UnitDone();
        }
    }

    /// <summary>A 4xx other than 429/408: asking again will not help, so the unit is left for a human (or a later API).</summary>
    private static bool IsRefusal(KalshiApiException ex) =>
        ex.StatusCode is { } status && (int)status >= 400 && (int)status < 500 && status != HttpStatusCode.TooManyRequests && status != HttpStatusCode.RequestTimeout;

    /// <summary>The part of a market's life to fetch: all of it, or (gap filling) its overlap with the window.</summary>
    private static (DateTimeOffset? From, DateTimeOffset? To) Span(BackfillRequest request, KalshiMarket market)
    {
        if (market.OpenTime is not { } open || market.CloseTime is not { } close)
        {
            return (null, null);
        }

        if (!request.WindowOnly)
        {
            return (open, close);
        }

        var from = open > request.From ? open : request.From;
        var to = close < request.To ? close : request.To;
        return from < to ? (from, to) : (null, null);
    }

    /// <summary>
    /// Settled markets closing in [From, To), from the historical and/or live listing as the cutoff says.
    /// /historical/markets documents no timestamp filter ("filters are mutually exclusive"), so it is paged by
    /// series_ticker alone and selected by close_time here. The live listing asks close-time filters with no status
    /// (a pair Kalshi documents) and keeps the settled ones; should that be refused, the series unfiltered. A listing
    /// Kalshi refuses is a refused unit: counted, logged, and the rest of the run goes on.
    /// </summary>
    private async Task<List<(KalshiMarket Market, bool Historical)>> ListSettledAsync(BackfillRequest request, HistoricalCutoff cutoff, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (KalshiMarket Market, bool Historical)>(StringComparer.Ordinal);
        if (request.From < cutoff.MarketSettled)
        {
            var query = new MarketQuery { SeriesTicker = request.Series, Limit = KalshiHistoryClient.MarketsPageLimit };
            foreach (var market in await ListOrRefuseAsync($"historical markets {request.Series}", historical: true, query, fallback: null, cancellationToken))
            {
                found.TryAdd(market.Ticker, (market, true));
            }
        }

        var liveFrom = cutoff.MarketSettled - LiveListingOverlap;
        if (request.To > liveFrom)
        {
            var query = new MarketQuery
            {
                SeriesTicker = request.Series,
                MinCloseTime = request.From > liveFrom ? request.From : liveFrom,
                MaxCloseTime = request.To,
                Limit = KalshiHistoryClient.MarketsPageLimit,
            };
            var unfiltered = new MarketQuery { SeriesTicker = request.Series, Limit = KalshiHistoryClient.MarketsPageLimit };
            foreach (var market in await ListOrRefuseAsync($"markets {request.Series}", historical: false, query, unfiltered, cancellationToken))
            {
                found.TryAdd(market.Ticker, (market, false));
            }
        }

        var inRange = found.Values
            .Where(m => m.Market.CloseTime is { } close && close >= request.From && close < request.To)
            .ToList();
        Stats.MarketsUnsettled = inRange.Count(m => !m.Market.HasResult);
        return inRange
            .Where(m => m.Market.HasResult)
            .OrderBy(m => m.Market.CloseTime)
            .ThenBy(m => m.Market.Ticker, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A market listing; on a refusal (4xx) the fallback query if any, else a refused unit and nothing listed.</summary>
    private async Task<IReadOnlyList<KalshiMarket>> ListOrRefuseAsync(string unit, bool historical, MarketQuery query, MarketQuery? fallback, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetMarketsAsync(historical, query, cancellationToken);
        }
        catch (KalshiApiException ex) when (IsRefusal(ex) && fallback is not null)
        {
            LogStatusFilterRefused(_logger, ex.Message);
            return await ListOrRefuseAsync(unit, historical, fallback, fallback: null, cancellationToken);
        }
        catch (KalshiApiException ex) when (IsRefusal(ex))
        {
            LogUnitRefused(_logger, $"list {unit}", ex.Message);
            Stats.AddUnits(1);
            Stats.UnitFailed();
            return [];
        }
    }

    /// <summary>Every market of the series open at some point of [From, To) (gap filling: recent, so live).</summary>
    private async Task<List<(KalshiMarket Market, bool Historical)>> ListTradingInWindowAsync(BackfillRequest request, CancellationToken cancellationToken)
    {
        var query = new MarketQuery { SeriesTicker = request.Series, MinCloseTime = request.From, Limit = KalshiHistoryClient.MarketsPageLimit };
        var markets = await _client.GetMarketsAsync(historical: false, query, cancellationToken);
        return markets
            .Where(m => m.OpenTime is { } open && open < request.To && m.CloseTime is { } close && close > request.From)
            .OrderBy(m => m.CloseTime)
            .ThenBy(m => m.Ticker, StringComparer.Ordinal)
            .Select(m => (m, false))
            .ToList();
    }

    private Task WriteMarketAsync(KalshiMarket market)
    {
        var (written, present) = _store.Append("markets", [(market.CloseTime!.Value, BackfillRecords.Market(market))]);
        Stats.Wrote("markets", written, present);
        return Task.CompletedTask;
    }

    private async Task WriteTradesAsync(BackfillRequest request, KalshiMarket market, HistoricalCutoff cutoff, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var trades = new Dictionary<string, KalshiTrade>(StringComparer.Ordinal);
        var split = cutoff.TradesCreated;
        long? minTs = request.WindowOnly ? from.ToUnixTimeSeconds() : null;
        long? maxTs = request.WindowOnly ? CeilingSeconds(to) : null;
        if (from < split)
        {
            long? max = to >= split ? CeilingSeconds(split) + 1 : maxTs;
            Add(trades, await _client.GetTradesAsync(historical: true, market.Ticker, minTs, max, cancellationToken));
        }

        if (to >= split)
        {
            long? min = from < split ? split.ToUnixTimeSeconds() - 1 : minTs;
            Add(trades, await _client.GetTradesAsync(historical: false, market.Ticker, min, maxTs, cancellationToken));
        }

        var records = trades.Values
            .Where(t => t.Ticker == market.Ticker && (!request.WindowOnly || (t.CreatedTime >= from && t.CreatedTime <= to)))
            .OrderBy(t => t.CreatedTime)
            .ThenBy(t => t.TradeId, StringComparer.Ordinal)
            .Select(t => (t.CreatedTime, BackfillRecords.Trade(t)));
        var (written, present) = _store.Append("trades", records);
        Stats.Wrote("trades", written, present);
    }

    private async Task WriteCandlesAsync(BackfillRequest request, KalshiMarket market, bool historical, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // Candles are named by their inclusive end: the first of the span ends one period after its start, the last
        // at the period boundary at or after its end.
        var period = request.Interval.Period;
        var start = FloorTo(from, period) + period;
        var end = FloorTo(to, period) == to ? to : FloorTo(to, period) + period;
        var candles = await _client.GetCandlesAsync(historical, request.Series, market.Ticker, request.Interval, start, end, cancellationToken);
        // Gap filling stops at the restart: the candle spanning it has not ended when fetched and would be written
        // unfinished (and then, being keyed, never corrected). Settled markets' candles are all final.
        var records = candles
            .Where(c => !request.WindowOnly || c.End <= request.To)
            .GroupBy(c => c.End)
            .Select(g => g.Last())
            .OrderBy(c => c.End)
            .Select(c => (c.End, BackfillRecords.Candle(market.Ticker, request.Interval, c)));
        var kind = "candles-" + request.Interval.Name;
        var (written, present) = _store.Append(kind, records);
        Stats.Wrote(kind, written, present);
    }

    private static void Add(Dictionary<string, KalshiTrade> into, IEnumerable<KalshiTrade> trades)
    {
        foreach (var trade in trades)
        {
            into.TryAdd(trade.TradeId, trade);
        }
    }

    private static long CeilingSeconds(DateTimeOffset time)
    {
        var seconds = time.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds(seconds) < time ? seconds + 1 : seconds;
    }

    private static DateTimeOffset FloorTo(DateTimeOffset time, TimeSpan period) =>
        new(time.UtcTicks - (time.UtcTicks % period.Ticks), TimeSpan.Zero);

    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Backfill {Series}: {Markets} markets, {Units} units of work ({Done} done by an earlier run)")]
    private static partial void LogPlanned(ILogger logger, string series, int markets, int units, int done);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Backfill: Kalshi refused {Unit} ({Reason}); skipped, a later run tries it again")]
    private static partial void LogUnitRefused(ILogger logger, string unit, string reason);

    [LoggerMessage(EventId = 803, Level = LogLevel.Information, Message = "Kalshi refused the filtered market listing ({Reason}); listing the series without filters and selecting by close time")]
    private static partial void LogStatusFilterRefused(ILogger logger, string reason);
}
