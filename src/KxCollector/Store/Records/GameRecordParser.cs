using KxCollector.Records;

namespace KxCollector.Store.Records;

/// <summary>
/// The store's row of a <see cref="GameRecord"/> line; <c>details</c> is kept as its exact text. Game lines are a few
/// a minute, so they are read by their record type rather than through <see cref="RecordParser"/>'s per-field state.
/// </summary>
internal static class GameRecordParser
{
    /// <summary>The row, or null when the line lacks its milestone id, time or details object, or has a bad value.</summary>
    public static GameStateRow? Parse(ReadOnlySpan<byte> line)
    {
        GameRecord game;
        try
        {
            game = GameRecord.Read(line);
        }
        catch (FormatException)
        {
            return null;
        }

        return game.DetailsJson.StartsWith('{')
            ? new GameStateRow(game.MilestoneId, game.Ts.UtcDateTime, [.. game.EventTickers], game.MilestoneType, game.DetailsJson)
            : null;
    }
}
