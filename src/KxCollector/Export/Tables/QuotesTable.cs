using KxCollector.Store.Records;

namespace KxCollector.Export.Tables;

/// <summary>One row per market per tick: every key of the tick's market entry except the books (see <see cref="BooksTable"/>).</summary>
internal static class QuotesTable
{
    public static ExportTable<SnapshotRow> Shape { get; } = new("quotes",
    [
        new TimeColumn<SnapshotRow>("ts", r => r.Timestamp),
        new TextColumn<SnapshotRow>("ticker", r => r.Ticker),
        new TextColumn<SnapshotRow>("status", r => r.Status),
        new DecimalColumn<SnapshotRow>("yes_bid", r => r.YesBid),
        new DecimalColumn<SnapshotRow>("yes_ask", r => r.YesAsk),
        new DecimalColumn<SnapshotRow>("no_bid", r => r.NoBid),
        new DecimalColumn<SnapshotRow>("no_ask", r => r.NoAsk),
        new DecimalColumn<SnapshotRow>("last_price", r => r.LastPrice),
        new DecimalColumn<SnapshotRow>("volume", r => r.Volume),
        new DecimalColumn<SnapshotRow>("open_interest", r => r.OpenInterest),
        new DecimalColumn<SnapshotRow>("strike", r => r.Strike),
        new IntColumn<SnapshotRow>("secs_left", r => r.SecsLeft),
        new IntColumn<SnapshotRow>("age_ms", r => r.AgeMs),
        new TextColumn<SnapshotRow>("src", r => r.Src),
    ]);
}
