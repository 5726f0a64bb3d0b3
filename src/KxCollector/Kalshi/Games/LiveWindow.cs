namespace KxCollector.Kalshi.Games;

/// <summary>
/// When a game is live, i.e. worth a live-data read: from <c>lead</c> before its start_date until its markets close
/// (the latest close_time of its events' markets; Kalshi moves it when markets close early). Without a known close,
/// the milestone's end_date ends it; with neither it is never live (no request for a game we cannot bound).
/// </summary>
internal static class LiveWindow
{
    public static bool IsLive(DateTimeOffset start, DateTimeOffset? marketsClose, DateTimeOffset? endDate, DateTimeOffset now, TimeSpan lead) =>
        (marketsClose ?? endDate) is { } end && now >= start - lead && now < end;

    /// <summary>True once the window has ended for good (the game can be forgotten).</summary>
    public static bool IsOver(DateTimeOffset? marketsClose, DateTimeOffset? endDate, DateTimeOffset now) =>
        (marketsClose ?? endDate) is { } end && now >= end;
}
