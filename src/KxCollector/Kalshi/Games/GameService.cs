using KxCollector.Cli;
using System.Text;
using KxCollector.Configuration;
using KxCollector.Kalshi.Rest;
using KxCollector.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Games;

/// <summary>
/// The game beside the market. Every <see cref="SportsOptions.DiscoveryInterval"/> it lists the open events of each
/// recorded series that does not settle on BRTI (<c>GET /events?series_ticker=…&amp;status=open&amp;with_milestones=true&amp;with_nested_markets=true</c>)
/// to learn their games (milestones) and when each game's markets close. Every <see cref="SportsOptions.GamePollInterval"/>
/// it reads the live data of all games that are live (<see cref="LiveWindow"/>) in one <c>GET /live_data/batch</c>
/// (100 ids per request, the spec's limit) and writes a <c>game</c> line, to the file of each recorded series with an
/// event in that game, when a game's data changed. No game is live: no request. All reads go through the shared
/// REST client and its KALSHI_REST_RPS budget.
/// </summary>
internal sealed partial class GameService : BackgroundService
{
    /// <summary>The spec's maxItems for milestone_ids.</summary>
    public const int MaxIdsPerRequest = 100;

    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromMinutes(1);

    private readonly SportsOptions _options;
    private readonly KalshiRestClient _rest;
    private readonly SeriesRegistry _registry;
    private readonly GameStats _stats;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GameChangeDetector _changes = new();
    private Dictionary<string, TrackedGame> _games = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastDiscovery;
    private int _discoveredSeries;
    private readonly OutageReporter _outage;

    /// <summary>Told when a series that may have games joins: with none recorded, the loop sleeps until then.</summary>
    private readonly WakeSignal _seriesJoined = new();
    private int _passes;

    public GameService(SportsOptions options, KalshiRestClient rest, SeriesRegistry registry, GameStats stats, TimeProvider time, ILogger<GameService> logger)
    {
        _options = options;
        _rest = rest;
        _registry = registry;
        _stats = stats;
        _time = time;
        _logger = logger;
        _outage = new OutageReporter(time, FailureLogInterval);
        registry.Follow(series =>
        {
            if (!series.SettlesOnBrti)
            {
                _seriesJoined.Notify();
            }
        });
    }

    /// <summary>Passes of the loop so far, each counted just before its wait (how a test knows the loop is waiting).</summary>
    internal int Passes => Volatile.Read(ref _passes);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = _time.GetUtcNow();
                var candidates = _registry.All.Where(s => !s.SettlesOnBrti).ToList();

                // A series that joined since the last look is looked at now, not a discovery interval later.
                try
                {
                    if (candidates.Count > 0 && (_lastDiscovery is null || now - _lastDiscovery >= _options.DiscoveryInterval || candidates.Count != _discoveredSeries))
                    {
                        await DiscoverAsync(candidates, stoppingToken);
                    }

                    await PollLiveAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A bug here must not stop the host (and with it the ticks): the game beside the market is secondary.
                    LogPollCrashed(_logger, ex);
                }

                // No series with games (the BRTI user's daemon): no timer at all until one joins, instead of a wake
                // every poll interval that finds nothing to do. A join during the poll above is not lost: the signal
                // keeps it for this wait.
                var wait = candidates.Count == 0 ? Timeout.InfiniteTimeSpan : _options.GamePollInterval;
                Interlocked.Increment(ref _passes);
                await _seriesJoined.WaitAsync(wait, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DiscoverAsync(IReadOnlyList<KalshiSeries> series, CancellationToken cancellationToken)
    {
        _lastDiscovery = _time.GetUtcNow();
        _discoveredSeries = series.Count;
        var closes = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        var milestones = new Dictionary<string, GameMilestone>(StringComparer.Ordinal);
        var complete = true;
        foreach (var one in series)
        {
            try
            {
                string? cursor = null;
                for (var page = 0; page < KalshiRestClient.MaxPages; page++)
                {
                    var query = "/events?series_ticker=" + Uri.EscapeDataString(one.Series) + "&status=open&with_milestones=true&with_nested_markets=true&limit=200"
                                + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
                    var (events, found, next) = GamesParser.ParseEventsPage(await _rest.GetAsync(query, cancellationToken));
                    Succeeded();
                    foreach (var e in events)
                    {
                        closes[e.EventTicker] = e.MarketsClose;
                    }

                    foreach (var m in found)
                    {
                        milestones[m.Id] = m;
                    }

                    if (next is null || next == cursor)
                    {
                        break;
                    }

                    cursor = next;
                }
            }
            catch (Exception ex) when (ex is KalshiApiException or System.Text.Json.JsonException)
            {
                complete = false;
                Failed($"GET /events for {one.Series}: {ex.Message}");
            }
        }

        // A look that failed for a series keeps the games known before (never forget a live game on a bad answer).
        var games = complete ? new Dictionary<string, TrackedGame>(StringComparer.Ordinal) : new Dictionary<string, TrackedGame>(_games, StringComparer.Ordinal);
        foreach (var m in milestones.Values)
        {
            DateTimeOffset? close = null;
            foreach (var ticker in m.EventTickers)
            {
                if (closes.TryGetValue(ticker, out var c) && c is { } value && (close is null || value > close))
                {
                    close = value;
                }
            }

            // Only games of events we record: a milestone also lists events of series not recorded.
            if (m.EventTickers.Any(t => _registry.SeriesOf(t) is not null))
            {
                games[m.Id] = new TrackedGame(m, close);
            }
        }

        foreach (var gone in _games.Keys.Where(k => !games.ContainsKey(k)))
        {
            _changes.Forget(gone);
        }

        _games = games;
    }

    private async Task PollLiveAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var over in _games.Where(g => LiveWindow.IsOver(g.Value.MarketsClose, g.Value.Milestone.End, now)).Select(g => g.Key).ToList())
        {
            _games.Remove(over);
            _changes.Forget(over);
        }

        var live = _games.Values.Where(g => LiveWindow.IsLive(g.Milestone.Start, g.MarketsClose, g.Milestone.End, now, _options.LiveLead)).ToList();
        _stats.Games(_games.Count, live.Count);
        if (live.Count == 0)
        {
            return;
        }

        foreach (var chunk in live.Chunk(MaxIdsPerRequest))
        {
            // The spec's milestone_ids is an exploded array: the key once per id.
            var query = new StringBuilder("/live_data/batch");
            for (var i = 0; i < chunk.Length; i++)
            {
                query.Append(i == 0 ? '?' : '&').Append("milestone_ids=").Append(Uri.EscapeDataString(chunk[i].Milestone.Id));
            }

            List<LiveData> datas;
            try
            {
                datas = GamesParser.ParseLiveDatas(await _rest.GetAsync(query.ToString(), cancellationToken));
            }
            catch (Exception ex) when (ex is KalshiApiException or System.Text.Json.JsonException)
            {
                Failed($"GET /live_data/batch: {ex.Message}");
                continue;
            }

            var readAt = _time.GetUtcNow();
            _stats.Polled(readAt);
            Succeeded();
            foreach (var data in datas)
            {
                if (_games.TryGetValue(data.MilestoneId, out var game) && _changes.Changed(data.MilestoneId, data.Type, data.DetailsJson))
                {
                    Write(readAt, game.Milestone, data);
                }
            }
        }
    }

    private void Write(DateTimeOffset readAt, GameMilestone milestone, LiveData data)
    {
        var line = GameLine.Format(readAt, milestone, data);
        foreach (var series in milestone.EventTickers.Select(_registry.SeriesOf).OfType<KalshiSeries>().Distinct())
        {
            series.Writer.Append(readAt, line);
            _stats.LineWritten();
        }
    }

    private void Failed(string reason)
    {
        _stats.Failed(reason);
        if (_outage.Failed() is not OutageReport.Quiet)
        {
            LogReadFailed(_logger, reason);
        }
    }

    private void Succeeded()
    {
        if (_outage.Succeeded() is { } outage)
        {
            LogReadsRecovered(_logger, outage.Duration.TotalSeconds, outage.Failures);
        }
    }

    private sealed record TrackedGame(GameMilestone Milestone, DateTimeOffset? MarketsClose);

    [LoggerMessage(EventId = 921, Level = LogLevel.Error, Message = "Games: the poll failed unexpectedly; trying again at the next interval")]
    private static partial void LogPollCrashed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 920, Level = LogLevel.Warning, Message = "Games: {Reason}; keeping what was known and trying again (logged at most once a minute)")]
    private static partial void LogReadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 922, Level = LogLevel.Information, Message = "Games: Kalshi answers again after {Seconds:F0} s ({Failures} failed reads)")]
    private static partial void LogReadsRecovered(ILogger logger, double seconds, int failures);
}
