using System.Text.Json;

namespace KxCollector.Kalshi;

/// <summary>
/// The <see cref="Utf8JsonReader"/> steps every Kalshi body and frame parser shares: strict reads, token checks,
/// tolerant string reads, and the <c>{"&lt;items&gt;":[…],"cursor":"…"}</c> page that /markets, /markets/trades and
/// the candlestick endpoints all answer with.
/// </summary>
internal static class KalshiJson
{
    /// <summary>Reads one item at the reader's position (its StartObject); null skips the item.</summary>
    public delegate T? ItemReader<T>(ref Utf8JsonReader reader)
        where T : class;

    /// <summary>
    /// Reads a page: the items of the array named <paramref name="arrayName"/> (null or absent: none) and a non-empty
    /// cursor (else null). Other fields are skipped; Kalshi adds fields often.
    /// </summary>
    public static (List<T> Items, string? Cursor) ReadPage<T>(ReadOnlySpan<byte> json, ReadOnlySpan<byte> arrayName, ItemReader<T> readItem)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(readItem);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        Read(ref reader);
        Expect(ref reader, JsonTokenType.StartObject);
        var items = new List<T>();
        string? cursor = null;
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(arrayName))
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                Expect(ref reader, JsonTokenType.StartArray);
                while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (readItem(ref reader) is { } item)
                    {
                        items.Add(item);
                    }
                }
            }
            else if (reader.ValueTextEquals("cursor"u8))
            {
                Read(ref reader);
                cursor = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }

        return (items, string.IsNullOrEmpty(cursor) ? null : cursor);
    }

    /// <param name="body">What ran out, for the message: "response body" or "frame".</param>
    public static bool Read(ref Utf8JsonReader reader, string body = "response body") =>
        reader.Read() ? true : throw new JsonException($"unexpected end of the {body}");

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"expected {type}, found {reader.TokenType} at byte {reader.TokenStartIndex}");
        }
    }

    /// <summary>A string's text; anything else is skipped and reads as null.</summary>
    public static string? StringOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>A string's text or a number's literal text (values Kalshi may send either way); else null.</summary>
    public static string? StringOrNumberText(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            default:
                reader.Skip();
                return null;
        }
    }
}
