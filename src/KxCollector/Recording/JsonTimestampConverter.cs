using KxCollector.Records;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KxCollector.Recording;

/// <summary>
/// DateTimeOffset in <see cref="JsonTimestamps.Format"/> (UTC, milliseconds, 'Z') for source-generated serializers,
/// whose default would write "+00:00" and seven fractional digits. Reads any ISO 8601 time.
/// </summary>
internal sealed class JsonTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(JsonTimestamps.ToText(value));
    }
}
