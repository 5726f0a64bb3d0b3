namespace KxCollector.Tests.Support;

/// <summary>Settings for a collector process that must stay offline: every venue points at a closed local port.</summary>
public static class OfflineSettings
{
    public static Dictionary<string, string> For(string outputDirectory, params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string>
        {
            ["OUTPUT_DIR"] = outputDirectory,
            ["COINBASE_WS_URL"] = "ws://127.0.0.1:9/coinbase",
            ["KRAKEN_WS_URL"] = "ws://127.0.0.1:9/kraken",
            ["BITSTAMP_WS_URL"] = "ws://127.0.0.1:9/bitstamp",
            ["KALSHI_API_URL"] = "http://127.0.0.1:9/trade-api/v2",
            ["KALSHI_WS_URL"] = "ws://127.0.0.1:9/trade-api/ws/v2",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }
}
