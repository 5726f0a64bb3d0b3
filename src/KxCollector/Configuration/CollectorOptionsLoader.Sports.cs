using KxCollector.Kalshi.Sports;

namespace KxCollector.Configuration;

internal static partial class CollectorOptionsLoader
{
    /// <summary>TARGET_SPORTS (a comma list of catalog names) and GAME_POLL_SECONDS; an unknown name stops start-up.</summary>
    public static SportsOptions LoadSports(SettingsReader reader, TimeSpan discoveryInterval)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var sports = new List<Sport>();
        if (reader.Raw(SettingKeys.TargetSports) is { } raw)
        {
            foreach (var name in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var sport = SportCatalog.Find(name)
                    ?? throw new ConfigurationException(SettingKeys.TargetSports, raw, $"a comma list of sports from {SportCatalog.Names} ('{name}' is not one)");
                if (!sports.Contains(sport))
                {
                    sports.Add(sport);
                }
            }
        }

        return new SportsOptions
        {
            Sports = sports,
            GamePollInterval = reader.PositiveSeconds(SettingKeys.GamePollSeconds, SportsOptions.DefaultGamePollSeconds, 300),
            DiscoveryInterval = discoveryInterval,
        };
    }

    /// <summary>The three ENABLE_* switches; stream and poll both off is refused, since nothing would be recorded.</summary>
    public static CollectorSwitches LoadSwitches(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var switches = new CollectorSwitches
        {
            LiveStreaming = reader.Bool(SettingKeys.EnableLiveStreaming, true),
            RestPolling = reader.Bool(SettingKeys.EnableRestPolling, true),
            HistoricalBackfill = reader.Bool(SettingKeys.EnableHistoricalBackfill, true),
        };
        if (!switches.LiveStreaming && !switches.RestPolling)
        {
            throw new ConfigurationException(
                SettingKeys.EnableRestPolling,
                "false",
                $"true when {SettingKeys.EnableLiveStreaming} is false: with both off nothing would be recorded (no quote, no market)");
        }

        return switches;
    }
}
