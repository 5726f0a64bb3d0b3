using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KxCollector.Fakes.Kalshi;

/// <summary>
/// The sports side of the fake Kalshi, in the documented shapes (docs/venues.md, "Finding sports series, and the game
/// beside the market", checked against Kalshi's OpenAPI): <c>GET /series?category=&amp;tags=&amp;min_updated_ts=</c>,
/// <c>GET /search/tags_by_categories</c>, <c>GET /events?series_ticker=&amp;status=open&amp;with_milestones=true</c>
/// (milestones beside the events, markets nested with their close_time), <c>GET /milestones</c> and
/// <c>GET /live_data/batch?milestone_ids=…</c> (the exploded array the spec gives, a comma list accepted too). Series
/// and games can be added while the collector runs; a game's details (the score) can be changed at any time.
/// </summary>
public sealed class FakeSports
{
    private readonly ConcurrentDictionary<string, FakeSeries> _series = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeGame> _games = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _liveDataRequested = new();
    private readonly TimeProvider _time;

    public FakeSports(TimeProvider time) => _time = time;

    /// <summary>What /search/tags_by_categories lists; by default the sports tags seen on Kalshi.</summary>
    public Dictionary<string, List<string>> TagsByCategories { get; } = new(StringComparer.Ordinal)
    {
        ["Sports"] = ["Football", "Basketball", "Hockey", "Baseball", "Soccer"],
        ["Crypto"] = ["BTC", "ETH"],
    };

    /// <summary>Every milestone id asked of /live_data/batch, in order (one entry per id per request).</summary>
    public IReadOnlyList<string> LiveDataRequested => _liveDataRequested.ToArray();

    public IEnumerable<FakeGame> Games => _games.Values;

    /// <summary>Adds (or updates) a series; its last_updated_ts is now, so a min_updated_ts poll sees it.</summary>
    public void AddSeries(string ticker, string category, params string[] tags) =>
        _series[ticker] = new FakeSeries(ticker, category, tags, _time.GetUtcNow());

    public void AddGame(FakeGame game)
    {
        ArgumentNullException.ThrowIfNull(game);
        _games[game.MilestoneId] = game;
    }

    /// <summary>The answer to a sports path, or null when the path is not one of them.</summary>
    public (int Status, string Body)? Answer(string relativePath, IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return relativePath switch
        {
            "/series" => (200, ListSeries(query)),
            "/search/tags_by_categories" => (200, Tags()),
            "/events" => (200, ListEvents(query)),
            "/milestones" => (200, ListMilestones(query)),
            "/live_data/batch" => LiveData(query),
            _ => null,
        };
    }

    private string ListSeries(IQueryCollection query)
    {
        var category = query["category"].ToString();
        var tags = query["tags"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var minUpdated = long.TryParse(query["min_updated_ts"], CultureInfo.InvariantCulture, out var m) ? m : (long?)null;
        var array = new JsonArray();
        foreach (var series in _series.Values.OrderBy(s => s.Ticker, StringComparer.Ordinal))
        {
            if ((category.Length > 0 && series.Category != category) ||
                (tags.Length > 0 && !series.Tags.Any(tags.Contains)) ||
                (minUpdated is { } min && series.UpdatedAt.ToUnixTimeSeconds() < min))
            {
                continue;
            }

            array.Add(new JsonObject
            {
                ["ticker"] = series.Ticker,
                ["title"] = series.Ticker + " (fake)",
                ["category"] = series.Category,
                ["tags"] = new JsonArray(series.Tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
                ["frequency"] = "custom",
                ["settlement_sources"] = new JsonArray(new JsonObject { ["name"] = "Fake League", ["url"] = "https://example.invalid" }),
                ["volume_fp"] = "1000.00",
                ["last_updated_ts"] = Rfc3339(series.UpdatedAt),
            });
        }

        return new JsonObject { ["series"] = array }.ToJsonString();
    }

    private string Tags()
    {
        var categories = new JsonObject();
        foreach (var (category, tags) in TagsByCategories)
        {
            categories[category] = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray());
        }

        return new JsonObject { ["tags_by_categories"] = categories }.ToJsonString();
    }

    private string ListEvents(IQueryCollection query)
    {
        var series = query["series_ticker"].ToString();
        var withMilestones = query["with_milestones"].ToString() == "true";
        var now = _time.GetUtcNow();
        var events = new JsonArray();
        var milestones = new JsonArray();
        foreach (var game in _games.Values.OrderBy(g => g.MilestoneId, StringComparer.Ordinal))
        {
            var mine = game.EventTickers.Where(e => e.StartsWith(series + "-", StringComparison.Ordinal)).ToList();
            if (mine.Count == 0 || now >= game.MarketsClose)
            {
                continue;
            }

            foreach (var eventTicker in mine)
            {
                events.Add(new JsonObject
                {
                    ["event_ticker"] = eventTicker,
                    ["series_ticker"] = series,
                    ["title"] = game.Title,
                    ["markets"] = new JsonArray(new JsonObject
                    {
                        ["ticker"] = eventTicker + "-A",
                        ["status"] = "active",
                        ["close_time"] = Rfc3339(game.MarketsClose),
                    }),
                });
            }

            if (withMilestones)
            {
                milestones.Add(Render(game));
            }
        }

        var body = new JsonObject { ["events"] = events, ["cursor"] = string.Empty };
        if (withMilestones)
        {
            body["milestones"] = milestones;
        }

        return body.ToJsonString();
    }

    private string ListMilestones(IQueryCollection query)
    {
        var related = query["related_event_ticker"].ToString();
        var array = new JsonArray();
        foreach (var game in _games.Values.Where(g => related.Length == 0 || g.EventTickers.Contains(related)).OrderBy(g => g.MilestoneId, StringComparer.Ordinal))
        {
            array.Add(Render(game));
        }

        return new JsonObject { ["milestones"] = array, ["cursor"] = string.Empty }.ToJsonString();
    }

    private (int, string) LiveData(IQueryCollection query)
    {
        var ids = query["milestone_ids"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (ids.Count == 0)
        {
            return (400, """{"error":{"code":"bad_request","message":"milestone_ids is required"}}""");
        }

        var array = new JsonArray();
        foreach (var id in ids)
        {
            _liveDataRequested.Enqueue(id);
            if (_games.TryGetValue(id, out var game))
            {
                array.Add(new JsonObject { ["type"] = game.LiveDataType, ["details"] = game.DetailsSnapshot(), ["milestone_id"] = id });
            }
        }

        return (200, new JsonObject { ["live_datas"] = array }.ToJsonString());
    }

    private static JsonObject Render(FakeGame game) => new()
    {
        ["id"] = game.MilestoneId,
        ["category"] = "Sports",
        ["type"] = game.Type,
        ["start_date"] = Rfc3339(game.Start),
        ["end_date"] = null,
        ["title"] = game.Title,
        ["notification_message"] = string.Empty,
        ["related_event_tickers"] = new JsonArray(game.EventTickers.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
        ["primary_event_tickers"] = new JsonArray(game.EventTickers.Take(1).Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
        ["source_id"] = "fake-" + game.MilestoneId,
        ["details"] = new JsonObject { ["competition"] = game.Competition },
        ["last_updated_ts"] = Rfc3339(game.Start),
    };

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record FakeSeries(string Ticker, string Category, string[] Tags, DateTimeOffset UpdatedAt);
}
