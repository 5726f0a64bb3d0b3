using System.Globalization;
using KxCollector.Configuration;
using KxCollector.Kalshi.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Sports;

/// <summary>
/// Resolves TARGET_SPORTS to Kalshi's series and keeps looking: at start it checks each sport's tag against
/// <c>GET /search/tags_by_categories</c> and lists <c>GET /series?category=…&amp;tags=…</c> once per tag; then every
/// <see cref="SportsOptions.DiscoveryInterval"/> it asks for the series new or changed since the last look
/// (<c>min_updated_ts</c>), so a series Kalshi adds mid-season joins the <see cref="SeriesRegistry"/> without a
/// restart. A sport whose tag Kalshi does not list, or that resolves to no series, is one warning naming it.
/// </summary>
internal sealed partial class SportsDiscoveryService : BackgroundService
{
    /// <summary>Looks overlap by this much, so a series updated while a look was in flight is not missed.</summary>
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan StartRetryDelay = TimeSpan.FromSeconds(5);

    private readonly SportsOptions _options;
    private readonly KalshiRestClient _rest;
    private readonly SeriesRegistry _registry;
    private readonly SportsStatus _status;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<string> _unknownTag = new(StringComparer.Ordinal);

    public SportsDiscoveryService(SportsOptions options, KalshiRestClient rest, SeriesRegistry registry, SportsStatus status, TimeProvider time, ILogger<SportsDiscoveryService> logger)
    {
        _options = options;
        _rest = rest;
        _registry = registry;
        _status = status;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Sports.Count == 0)
        {
            return;
        }

        try
        {
            await CheckTagsAsync(stoppingToken);
            DateTimeOffset since;
            while (true)
            {
                since = _time.GetUtcNow();
                if (await LookAsync(minUpdated: null, initial: true, stoppingToken))
                {
                    break;
                }

                await Task.Delay(StartRetryDelay, _time, stoppingToken);
            }

            while (true)
            {
                await Task.Delay(_options.DiscoveryInterval, _time, stoppingToken);
                var started = _time.GetUtcNow();
                if (await LookAsync(since - Overlap, initial: false, stoppingToken))
                {
                    since = started;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckTagsAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, IReadOnlyList<string>> tags;
        try
        {
            tags = SportsParser.ParseTagsByCategories(await _rest.GetAsync("/search/tags_by_categories", cancellationToken));
        }
        catch (Exception ex) when (ex is KalshiApiException or System.Text.Json.JsonException or InvalidOperationException)
        {
            // Only a check: the series lists below still say whether a sport finds anything.
            LogTagsUnreadable(_logger, ex.Message);
            return;
        }

        foreach (var sport in SportsResolver.UnknownTags(_options.Sports, tags))
        {
            var known = tags.TryGetValue(sport.Category, out var list) ? string.Join(", ", list) : "(none)";
            LogUnknownTag(_logger, sport.Name, sport.Tag, sport.Category, known);
            _unknownTag.Add(sport.Name);
            _status.Update(sport.Name, f => f with { Problem = $"Kalshi lists no tag '{sport.Tag}' in category {sport.Category}" });
        }
    }

    /// <summary>One look at every sport's series; false when Kalshi could not answer (tried again later).</summary>
    private async Task<bool> LookAsync(DateTimeOffset? minUpdated, bool initial, CancellationToken cancellationToken)
    {
        try
        {
            return await TryLookAsync(minUpdated, initial, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug in one look must not stop the host and the series already recorded: log it, look again later.
            LogLookCrashed(_logger, ex);
            return false;
        }
    }

    private async Task<bool> TryLookAsync(DateTimeOffset? minUpdated, bool initial, CancellationToken cancellationToken)
    {
        var listed = new Dictionary<(string Category, string Tag), List<SeriesInfo>>();
        try
        {
            foreach (var key in _options.Sports.Select(s => (s.Category, s.Tag)).Distinct())
            {
                var query = "/series?category=" + Uri.EscapeDataString(key.Category) + "&tags=" + Uri.EscapeDataString(key.Tag);
                if (minUpdated is { } min)
                {
                    query += "&min_updated_ts=" + min.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                }

                listed[key] = SportsParser.ParseSeriesList(await _rest.GetAsync(query, cancellationToken)).Series;
            }
        }
        catch (Exception ex) when (ex is KalshiApiException or System.Text.Json.JsonException)
        {
            LogLookFailed(_logger, ex.Message);
            return false;
        }

        var now = _time.GetUtcNow();
        _status.Checked(now);
        foreach (var sport in _options.Sports)
        {
            var series = SportsResolver.Match(sport, listed[(sport.Category, sport.Tag)]);
            if (initial)
            {
                if (series.Count == 0 && !_unknownTag.Contains(sport.Name))
                {
                    LogResolvedToNothing(_logger, sport.Name, sport.Category, sport.Tag, string.Join("|", sport.TickerPrefixes));
                    _status.Update(sport.Name, f => f with { Problem = f.Problem ?? $"no series of category {sport.Category}, tag {sport.Tag}, tickers {string.Join("|", sport.TickerPrefixes)}…" });
                }
                else
                {
                    LogResolved(_logger, sport.Name, series.Count, string.Join(",", series));
                }
            }

            foreach (var ticker in series)
            {
                var added = _registry.TryAdd(ticker, sport.Name);
                _status.Update(sport.Name, f => f.Series.Contains(ticker)
                    ? f
                    : f.WithSeries(ticker) with
                    {
                        LastAdded = initial ? f.LastAdded : ticker,
                        LastAddedAt = initial ? f.LastAddedAt : now,
                        Problem = null,
                    });
                if (added && !initial)
                {
                    LogNewSeries(_logger, sport.Name, ticker);
                }
            }
        }

        return true;
    }

    [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "TARGET_SPORTS: {Sport} resolves to {Count} Kalshi series: {Series}")]
    private static partial void LogResolved(ILogger logger, string sport, int count, string series);

    [LoggerMessage(EventId = 903, Level = LogLevel.Warning, Message = "TARGET_SPORTS: {Sport} resolves to no Kalshi series (category {Category}, tag {Tag}, tickers {Prefixes}…): nothing is recorded for it until Kalshi lists one")]
    private static partial void LogResolvedToNothing(ILogger logger, string sport, string category, string tag, string prefixes);

    [LoggerMessage(EventId = 904, Level = LogLevel.Warning, Message = "TARGET_SPORTS: {Sport} uses the tag '{Tag}', which Kalshi does not list in category {Category} (it lists: {Known}); fix its row in the sport table")]
    private static partial void LogUnknownTag(ILogger logger, string sport, string tag, string category, string known);

    [LoggerMessage(EventId = 905, Level = LogLevel.Information, Message = "TARGET_SPORTS: new {Sport} series {Series} found on Kalshi; recording it from now on")]
    private static partial void LogNewSeries(ILogger logger, string sport, string series);

    [LoggerMessage(EventId = 906, Level = LogLevel.Warning, Message = "TARGET_SPORTS: could not list Kalshi's series ({Reason}); trying again")]
    private static partial void LogLookFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 908, Level = LogLevel.Error, Message = "TARGET_SPORTS: a look at Kalshi's series failed unexpectedly; trying again")]
    private static partial void LogLookCrashed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 907, Level = LogLevel.Warning, Message = "TARGET_SPORTS: could not check the sports' tags against /search/tags_by_categories ({Reason})")]
    private static partial void LogTagsUnreadable(ILogger logger, string reason);
}
