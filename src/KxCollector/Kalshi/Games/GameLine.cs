using KxCollector.Records;

namespace KxCollector.Kalshi.Games;

/// <summary>A milestone's live data as a <see cref="GameRecord"/> line (the milestone's type, else the live data's).</summary>
internal static class GameLine
{
    public const string Type = GameRecord.Type;

    public static byte[] Format(DateTimeOffset ts, GameMilestone milestone, LiveData live)
    {
        ArgumentNullException.ThrowIfNull(milestone);
        ArgumentNullException.ThrowIfNull(live);
        return new GameRecord(ts, milestone.Id, milestone.EventTickers, milestone.Type ?? live.Type, live.DetailsJson).Format();
    }
}
