using System.Text;
using System.Text.Json;

namespace KxCollector.Kalshi;

/// <summary>
/// A few words Kalshi repeats in every frame or market (sides, statuses, results), read as the same string each time
/// instead of a new one per read; any other text is read as itself.
/// </summary>
internal sealed class KnownWords(params string[] words)
{
    private readonly (byte[] Utf8, string Text)[] _words = [.. words.Select(word => (Encoding.UTF8.GetBytes(word), word))];

    /// <summary>The string token's text (one of the words when it is one); anything else is skipped and reads as null.</summary>
    public string? Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            foreach (var (utf8, text) in _words)
            {
                if (reader.ValueSpan.SequenceEqual(utf8))
                {
                    return text;
                }
            }
        }

        return KalshiJson.StringOrNull(ref reader);
    }
}
