using System.Globalization;
using System.Text.Json;

namespace KxCollector.Records;

internal static class JsonTimestamps
{
    /// <summary>The one timestamp format of every record: UTC, millisecond precision, 'Z'.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static void Write(Utf8JsonWriter writer, string name, DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(name);
        WriteValue(writer, value);
    }

    /// <summary>The timestamp as a string value (its key already written): formatted on the stack, nothing allocated.</summary>
    public static void WriteValue(Utf8JsonWriter writer, DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> chars = stackalloc char[32];
        value.UtcDateTime.TryFormat(chars, out var written, Format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(chars[..written]);
    }

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}
