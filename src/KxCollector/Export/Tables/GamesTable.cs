using KxCollector.Store.Records;

namespace KxCollector.Export.Tables;

/// <summary>Sports game states: event_tickers (a JSON array) and details (Kalshi's object, verbatim) as JSON text.</summary>
internal static class GamesTable
{
    public static ExportTable<GameRow> Shape { get; } = new("games",
    [
        new TimeColumn<GameRow>("ts", r => r.Timestamp),
        new TextColumn<GameRow>("milestone_id", r => r.MilestoneId),
        new TextColumn<GameRow>("milestone_type", r => r.MilestoneType),
        new TextColumn<GameRow>("event_tickers", r => r.EventTickers),
        new TextColumn<GameRow>("details", r => r.Details),
    ]);
}
