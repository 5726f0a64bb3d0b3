namespace KxCollector.Configuration;

/// <summary>
/// TARGET_SPORTS and the game poll: which sports are recorded by name (each resolved through
/// <see cref="SportCatalog"/> to Kalshi's series) and how often live games are read.
/// </summary>
internal sealed class SportsOptions
{
    /// <summary>The sports named in TARGET_SPORTS, as the catalog spells them (NFL, NBA, …), in the order given; empty: off.</summary>
    public IReadOnlyList<Sport> Sports { get; init; } = [];

    /// <summary>GAME_POLL_SECONDS: how often the live data of every live game is read, in one batch request.</summary>
    public TimeSpan GamePollInterval { get; init; } = TimeSpan.FromSeconds(DefaultGamePollSeconds);

    /// <summary>How often the sports' series (new or changed ones) and the recorded series' events and games are listed.</summary>
    public TimeSpan DiscoveryInterval { get; init; } = TimeSpan.FromSeconds(KalshiOptions.DefaultDiscoverySeconds);

    /// <summary>A game counts as live from this long before its start_date ("shortly before": warm-ups, late line changes).</summary>
    public TimeSpan LiveLead { get; init; } = TimeSpan.FromMinutes(15);

    public const double DefaultGamePollSeconds = 5;
}
