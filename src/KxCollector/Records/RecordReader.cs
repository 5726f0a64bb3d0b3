using System.Text.Json;

namespace KxCollector.Records;

/// <summary>
/// Reads one record's keys by name, in any order, from the parsed line; keys it does not ask for are ignored. A key
/// that is missing or null reads as null; a value of the wrong kind is a <see cref="FormatException"/> naming the
/// record type, the key and the value, never a silent null.
/// </summary>
internal readonly struct RecordReader
{
    private readonly JsonElement _root;
    private readonly string _type;

    private RecordReader(JsonElement root, string type)
    {
        _root = root;
        _type = type;
    }

    /// <summary>Parses a line (without its newline) that must be a record of <paramref name="type"/>.</summary>
    public static RecordReader Open(ReadOnlySpan<byte> line, string type)
    {
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(line);
            root = JsonElement.ParseValue(ref reader);
            if (reader.Read())
            {
                throw new FormatException($"{type} record: more than one JSON value on the line");
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{type} record: not JSON ({ex.Message})", ex);
        }

        return Open(root, type);
    }

    public static RecordReader Open(JsonElement root, string type)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{type} record: expected a JSON object, got {root.ValueKind}");
        }

        var reader = new RecordReader(root, type);
        var actual = reader.RequiredString(RecordJson.Type);
        if (actual != type)
        {
            throw new FormatException($"expected a {type} record, got type \"{actual}\"");
        }

        return reader;
    }

    /// <summary>A nested object with no "type" of its own (a tick's market entry).</summary>
    public static RecordReader OpenEntry(JsonElement entry, string name) =>
        entry.ValueKind == JsonValueKind.Object ? new RecordReader(entry, name) : throw new FormatException($"{name}: expected a JSON object, got {entry.ValueKind}");

    public bool Has(string key) => _root.TryGetProperty(key, out _);

    public JsonElement? Element(string key) =>
        _root.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public decimal? Number(string key) => Element(key) is { } v ? NumberOf(v, key) : null;

    public decimal RequiredNumber(string key) => Number(key) ?? throw Missing(key);

    public long? Integer(string key)
    {
        if (Element(key) is not { } v)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw Bad(key, v, "a whole number");
    }

    public string? String(string key)
    {
        if (Element(key) is not { } v)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Bad(key, v, "a string");
    }

    public string RequiredString(string key) => String(key) ?? throw Missing(key);

    public bool? Boolean(string key) => Element(key) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } v => throw Bad(key, v, "true or false"),
    };

    public DateTimeOffset? Time(string key)
    {
        if (Element(key) is not { } v)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var t) ? t.ToUniversalTime() : throw Bad(key, v, "a UTC timestamp");
    }

    public DateTimeOffset RequiredTime(string key) => Time(key) ?? throw Missing(key);

    public IReadOnlyList<string> Strings(string key)
    {
        if (Element(key) is not { } v)
        {
            return [];
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            throw Bad(key, v, "an array of strings");
        }

        var list = new List<string>(v.GetArrayLength());
        foreach (var item in v.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Bad(key, item, "an array of strings"));
        }

        return list;
    }

    /// <summary>A nested object (a candle's OHLC), read with the same rules and this record's name in errors.</summary>
    public RecordReader? Object(string key)
    {
        if (Element(key) is not { } v)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Object ? new RecordReader(v, $"{_type}.{key}") : throw Bad(key, v, "an object");
    }

    public decimal NumberOf(JsonElement value, string key) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) ? d : throw Bad(key, value, "a number");

    public FormatException Bad(string key, JsonElement value, string expected)
    {
        var raw = value.GetRawText();
        return new FormatException($"{_type} record: \"{key}\" must be {expected}, not {(raw.Length > 40 ? raw[..40] + "…" : raw)}");
    }

    private FormatException Missing(string key) => new($"{_type} record: \"{key}\" is missing");
}
