using System.Buffers;
using System.Text.Json;
using KxCollector.Pricing;

namespace KxCollector.Records;

/// <summary>
/// What every record writer shares: the keys every record has, one way to write a nullable value, cents, and the
/// one framing of a line (<c>{</c>, the record's keys, <c>}</c>, no newline) into a buffer of its own.
/// </summary>
internal static class RecordJson
{
    public const string Type = "type";
    public const string Ts = "ts";
    public const string Src = "src";
    public const string Ticker = "ticker";

    /// <summary>Dollars to cents, exact: "0.0560" is 5.6, never 5.6000000001 and never rounded to whole cents.</summary>
    public static decimal? Cents(decimal? dollars) => dollars is { } d ? DecimalMath.Normalize(d * 100m) : null;

    /// <summary>Trailing zeros off ("1234.00" is 1234): counts and prices read as text keep their scale otherwise.</summary>
    public static decimal? Normalize(decimal? value) => value is { } v ? DecimalMath.Normalize(v) : null;

    /// <summary>Formats one line: the record's writer fills the object. The state is passed through, so no closure.</summary>
    public static byte[] Format<TState>(in TState state, WriteBody<TState> body, int capacity = 256)
    {
        var buffer = new ArrayBufferWriter<byte>(capacity);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer, state);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public delegate void WriteBody<TState>(Utf8JsonWriter writer, in TState state);

    public static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, decimal? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static void WriteNumber(Utf8JsonWriter writer, string name, decimal? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static void WriteNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    public static void WriteBoolean(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } v)
        {
            writer.WriteBoolean(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            JsonTimestamps.Write(writer, name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes the key only when there is a value: keys a record leaves out rather than writing null.</summary>
    public static void WriteTimeIfAny(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            JsonTimestamps.Write(writer, name, v);
        }
    }

    /// <summary>Writes <c>"src":…</c> when the record has one (a backfilled record); it is always the last key.</summary>
    public static void WriteSrc(Utf8JsonWriter writer, string? src)
    {
        if (src is not null)
        {
            writer.WriteString(Src, src);
        }
    }
}
