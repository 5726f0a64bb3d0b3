using KxCollector.Records;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace KxCollector.Recording;

/// <summary>
/// The JSON of the small state files beside the data (Kalshi state, pending gaps): indented, snake_case keys, times in
/// <see cref="JsonTimestamps.Format"/>, missing required keys and nulls where none may be are errors (the caller sets
/// such a file aside). Each feature's source-generated context is built over <see cref="CreateOptions"/>.
/// </summary>
internal static class StateFileJson
{
    /// <summary>A new instance per context: options are bound to the context that is created over them.</summary>
    public static JsonSerializerOptions CreateOptions() => new()
    {
        WriteIndented = true,
        NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonTimestampConverter() },
    };

    /// <summary>Reads a state file; JsonException when it is not one, IOException/UnauthorizedAccessException when unreadable.</summary>
    public static T Read<T>(string path, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), type) ?? throw new JsonException($"{path} holds null");

    /// <summary>Replaces a state file atomically (<see cref="AtomicFile"/>).</summary>
    public static void Write<T>(string path, T value, JsonTypeInfo<T> type) =>
        AtomicFile.Replace(path, stream => JsonSerializer.Serialize(stream, value, type));
}
