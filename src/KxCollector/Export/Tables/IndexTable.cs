using KxCollector.Store.Records;

namespace KxCollector.Export.Tables;

/// <summary>Official index prints (index lines): the CF print's second, the value in dollars, Kalshi's received_at.</summary>
internal static class IndexTable
{
    public static ExportTable<IndexPrintRow> Shape { get; } = new("index",
    [
        new TimeColumn<IndexPrintRow>("ts", r => r.Timestamp),
        new TextColumn<IndexPrintRow>("index_id", r => r.IndexId),
        new DecimalColumn<IndexPrintRow>("value", r => r.Value),
        new TimeColumn<IndexPrintRow>("received_at", r => r.ReceivedAt),
    ]);
}
