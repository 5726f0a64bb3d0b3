using System.Globalization;
using System.Text.Json;

namespace KxCollector.Records;

internal static class JsonTimestamps
{
    /// <summary>The one timestamp format of every record: UTC, millisecond precision, 'Z'.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static void Write(Utf8JsonWriter writer, string name, DateTimeOffset value)
    {
        Span<char> chars = stackalloc char[32];
        value.UtcDateTime.TryFormat(chars, out var written, Format, CultureInfo.InvariantCulture);
        writer.WriteString(name, chars[..written]);
    }

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}
