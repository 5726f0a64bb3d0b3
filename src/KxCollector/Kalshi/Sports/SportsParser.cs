using System.Text.Json;

namespace KxCollector.Kalshi.Sports;

/// <summary>Reads <c>GET /series</c> and <c>GET /search/tags_by_categories</c> bodies; unknown fields are skipped.</summary>
internal static class SportsParser
{
    /// <summary><c>{"series":[{ticker, category, tags[], …}], "cursor"?}</c>.</summary>
    public static (List<SeriesInfo> Series, string? Cursor) ParseSeriesList(ReadOnlySpan<byte> json) =>
        KalshiJson.ReadPage(json, "series"u8, ReadSeries);

    /// <summary><c>{"tags_by_categories":{"Sports":["Football",…],…}}</c>; a category's null list reads as empty.</summary>
    public static Dictionary<string, IReadOnlyList<string>> ParseTagsByCategories(ReadOnlySpan<byte> json)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json);
        KalshiJson.Read(ref reader);
        KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("tags_by_categories"u8))
            {
                KalshiJson.Read(ref reader);
                reader.Skip();
                continue;
            }

            KalshiJson.Read(ref reader);
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
            while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                var category = reader.GetString()!;
                KalshiJson.Read(ref reader);
                result[category] = ReadStrings(ref reader);
            }
        }

        return result;
    }

    private static SeriesInfo? ReadSeries(ref Utf8JsonReader reader)
    {
        KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
        string? ticker = null;
        string? category = null;
        IReadOnlyList<string> tags = [];
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ticker"u8))
            {
                KalshiJson.Read(ref reader);
                ticker = KalshiJson.StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("category"u8))
            {
                KalshiJson.Read(ref reader);
                category = KalshiJson.StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("tags"u8))
            {
                KalshiJson.Read(ref reader);
                tags = ReadStrings(ref reader);
            }
            else
            {
                KalshiJson.Read(ref reader);
                reader.Skip();
            }
        }

        return string.IsNullOrEmpty(ticker) ? null : new SeriesInfo(ticker, category, tags);
    }

    /// <summary>An array of strings (other items skipped); null or any other value reads as empty.</summary>
    internal static List<string> ReadStrings(ref Utf8JsonReader reader)
    {
        var list = new List<string>();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return list;
        }

        while (KalshiJson.Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            if (KalshiJson.StringOrNull(ref reader) is { Length: > 0 } value)
            {
                list.Add(value);
            }
        }

        return list;
    }
}
