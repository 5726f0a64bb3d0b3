using System.Text;
using System.Text.Json;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Sports;

namespace KxCollector.Kalshi.Games;

/// <summary>
/// Reads the bodies of <c>GET /events?…&amp;with_milestones=true&amp;with_nested_markets=true</c>, <c>GET /milestones</c>
/// and <c>GET /live_data/batch</c>. Unknown fields are skipped; live data <c>details</c> are kept as the exact text
/// Kalshi sent (their keys vary by sport and are not documented).
/// </summary>
internal static class GamesParser
{
    /// <summary>
    /// <c>{"events":[{event_ticker, markets:[{close_time,…}], milestones?:[…]}], "milestones":[…], "cursor"}</c>: the
    /// spec puts the milestones beside the events; a milestones array inside an event is read too.
    /// </summary>
    public static (List<GameEvent> Events, List<GameMilestone> Milestones, string? Cursor) ParseEventsPage(ReadOnlySpan<byte> json)
    {
        var events = new List<GameEvent>();
        var milestones = new List<GameMilestone>();
        string? cursor = null;
        var reader = new Utf8JsonReader(json);
        KalshiJson.Read(ref reader);
        KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("events"u8))
            {
                KalshiJson.Read(ref reader);
                ReadArray(ref reader, (ref Utf8JsonReader r) =>
                {
                    if (ReadEvent(ref r, milestones) is { } e)
                    {
                        events.Add(e);
                    }
                });
            }
            else if (reader.ValueTextEquals("milestones"u8))
            {
                KalshiJson.Read(ref reader);
                ReadMilestones(ref reader, milestones);
            }
            else if (reader.ValueTextEquals("cursor"u8))
            {
                KalshiJson.Read(ref reader);
                cursor = KalshiJson.StringOrNull(ref reader);
            }
            else
            {
                KalshiJson.Read(ref reader);
                reader.Skip();
            }
        }

        return (events, milestones, string.IsNullOrEmpty(cursor) ? null : cursor);
    }

    /// <summary><c>{"milestones":[…],"cursor":…}</c>.</summary>
    public static (List<GameMilestone> Milestones, string? Cursor) ParseMilestonesPage(ReadOnlySpan<byte> json) =>
        KalshiJson.ReadPage(json, "milestones"u8, ReadMilestone);

    /// <summary><c>{"live_datas":[{"type":…,"details":{…},"milestone_id":…}]}</c>; entries without an id or details are skipped.</summary>
    public static List<LiveData> ParseLiveDatas(ReadOnlySpan<byte> json)
    {
        var list = new List<LiveData>();
        var reader = new Utf8JsonReader(json);
        KalshiJson.Read(ref reader);
        KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("live_datas"u8))
            {
                KalshiJson.Read(ref reader);
                reader.Skip();
                continue;
            }

            KalshiJson.Read(ref reader);
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            while (KalshiJson.Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                }
                else if (ReadLiveData(ref reader, json) is { } live)
                {
                    list.Add(live);
                }
            }
        }

        return list;
    }

    private delegate void ItemAction(ref Utf8JsonReader reader);

    private static void ReadArray(ref Utf8JsonReader reader, ItemAction item)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (KalshiJson.Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                item(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadMilestones(ref Utf8JsonReader reader, List<GameMilestone> into)
    {
        var found = new List<GameMilestone>();
        ReadArray(ref reader, (ref Utf8JsonReader r) =>
        {
            if (ReadMilestone(ref r) is { } m)
            {
                found.Add(m);
            }
        });
        into.AddRange(found);
    }

    private static GameEvent? ReadEvent(ref Utf8JsonReader reader, List<GameMilestone> milestones)
    {
        string? ticker = null;
        DateTimeOffset? close = null;
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("event_ticker"u8))
            {
                KalshiJson.Read(ref reader);
                ticker = KalshiJson.StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("markets"u8))
            {
                KalshiJson.Read(ref reader);
                var latest = close;
                ReadArray(ref reader, (ref Utf8JsonReader r) =>
                {
                    if (ReadCloseTime(ref r) is { } c && (latest is null || c > latest))
                    {
                        latest = c;
                    }
                });
                close = latest;
            }
            else if (reader.ValueTextEquals("milestones"u8))
            {
                KalshiJson.Read(ref reader);
                ReadMilestones(ref reader, milestones);
            }
            else
            {
                KalshiJson.Read(ref reader);
                reader.Skip();
            }
        }

        return string.IsNullOrEmpty(ticker) ? null : new GameEvent(ticker, close);
    }

    private static DateTimeOffset? ReadCloseTime(ref Utf8JsonReader reader)
    {
        DateTimeOffset? close = null;
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isClose = reader.ValueTextEquals("close_time"u8);
            KalshiJson.Read(ref reader);
            if (isClose)
            {
                close = KalshiMarketParser.ParseTimestamp(KalshiJson.StringOrNull(ref reader));
            }
            else
            {
                reader.Skip();
            }
        }

        return close;
    }

    private static GameMilestone? ReadMilestone(ref Utf8JsonReader reader)
    {
        KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
        string? id = null;
        string? type = null;
        DateTimeOffset? start = null;
        DateTimeOffset? end = null;
        List<string> primary = [];
        List<string> related = [];
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                KalshiJson.Read(ref reader);
                id = KalshiJson.StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                KalshiJson.Read(ref reader);
                type = KalshiJson.StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("start_date"u8))
            {
                KalshiJson.Read(ref reader);
                start = KalshiMarketParser.ParseTimestamp(KalshiJson.StringOrNull(ref reader));
            }
            else if (reader.ValueTextEquals("end_date"u8))
            {
                KalshiJson.Read(ref reader);
                end = KalshiMarketParser.ParseTimestamp(KalshiJson.StringOrNull(ref reader));
            }
            else if (reader.ValueTextEquals("primary_event_tickers"u8))
            {
                KalshiJson.Read(ref reader);
                primary = SportsParser.ReadStrings(ref reader);
            }
            else if (reader.ValueTextEquals("related_event_tickers"u8))
            {
                KalshiJson.Read(ref reader);
                related = SportsParser.ReadStrings(ref reader);
            }
            else
            {
                KalshiJson.Read(ref reader);
                reader.Skip();
            }
        }

        if (string.IsNullOrEmpty(id) || start is null)
        {
            return null;
        }

        var tickers = primary.Concat(related).Distinct(StringComparer.Ordinal).ToList();
        return new GameMilestone(id, type, start.Value, end, tickers);
    }

    private static LiveData? ReadLiveData(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        string? id = null;
        string? type = null;
        string? details = null;
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("milestone_id"u8))
            {
                KalshiJson.Read(ref reader);
                id = KalshiJson.StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                KalshiJson.Read(ref reader);
                type = KalshiJson.StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("details"u8))
            {
                KalshiJson.Read(ref reader);
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    // The object's exact bytes, as Kalshi sent them.
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    details = Encoding.UTF8.GetString(json[start..((int)reader.BytesConsumed)]);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                KalshiJson.Read(ref reader);
                reader.Skip();
            }
        }

        return string.IsNullOrEmpty(id) || details is null ? null : new LiveData(id, type, details);
    }
}
