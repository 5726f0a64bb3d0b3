using System.Globalization;

namespace KxCollector.Configuration;

/// <summary>
/// Typed, validated reads of the flat KEY=value settings (environment over .env). Every failure is a
/// <see cref="ConfigurationException"/> naming the key, the value and what was expected.
/// </summary>
internal sealed class SettingsReader
{
    private static readonly string[] WebSocketSchemes = ["ws", "wss"];
    private static readonly string[] HttpSchemes = ["http", "https"];

    private readonly IReadOnlyDictionary<string, string> _values;

    public SettingsReader(IReadOnlyDictionary<string, string> values) => _values = values;

    /// <summary>The raw value, or null when the key is absent or blank (a blank line in .env means "use the default").</summary>
    public string? Raw(string key) =>
        _values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public string String(string key, string defaultValue) => Raw(key) ?? defaultValue;

    public Uri WebSocketUrl(string key, string defaultValue) => Url(key, Raw(key) ?? defaultValue, WebSocketSchemes);

    public Uri HttpUrl(string key, string defaultValue) => Url(key, Raw(key) ?? defaultValue, HttpSchemes);

    public TimeSpan PositiveSeconds(string key, double defaultSeconds, double maxSeconds)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return TimeSpan.FromSeconds(defaultSeconds);
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ||
            !double.IsFinite(seconds) || seconds <= 0 || seconds > maxSeconds)
        {
            throw new ConfigurationException(key, raw, $"a positive number of seconds, at most {maxSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A positive finite number up to <paramref name="max"/> (a rate, say), with the key in the error.</summary>
    public double PositiveNumber(string key, double defaultValue, double max, string unit)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
            !double.IsFinite(value) || value <= 0 || value > max)
        {
            throw new ConfigurationException(key, raw, $"a positive number of {unit}, at most {max.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    public int PositiveInt(string key, int defaultValue, int maxValue)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > maxValue)
        {
            throw new ConfigurationException(key, raw, $"a whole number from 1 to {maxValue.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    public int NonNegativeInt(string key, int defaultValue, int maxValue)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 0 || value > maxValue)
        {
            throw new ConfigurationException(key, raw, $"a whole number from 0 to {maxValue.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    /// <summary>A TCP port from 1 to 65535, or null when the key is absent or blank (the feature is off).</summary>
    public int? OptionalPort(string key)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < 1 || port > 65535)
        {
            throw new ConfigurationException(key, raw, "a TCP port from 1 to 65535, or empty for none");
        }

        return port;
    }

    /// <summary>true/false (also 1/0, yes/no, on/off, any case); the default when absent or blank.</summary>
    public bool Bool(string key, bool defaultValue)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return defaultValue;
        }

        return raw.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => throw new ConfigurationException(key, raw, "true or false"),
        };
    }

    /// <summary>One of a fixed set of words, compared case-insensitively, returned lower-case.</summary>
    public string OneOf(string key, string defaultValue, params string[] allowed)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return defaultValue;
        }

        var match = allowed.FirstOrDefault(a => string.Equals(a, raw, StringComparison.OrdinalIgnoreCase));
        return match ?? throw new ConfigurationException(key, raw, string.Join(" or ", allowed));
    }

    private static Uri Url(string key, string value, string[] schemes)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) ||
            !schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase) ||
            string.IsNullOrEmpty(uri.Host))
        {
            throw new ConfigurationException(key, value, $"an absolute {string.Join("/", schemes)} URL");
        }

        return uri;
    }
}
