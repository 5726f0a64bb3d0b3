using KxCollector.Store.Records;

namespace KxCollector.Export.Tables;

/// <summary>One row per tick of a series with index keys: the proxy, each exchange's mid, the official index where recorded.</summary>
internal static class TicksTable
{
    public static ExportTable<IndexTickRow> Shape { get; } = new("ticks",
    [
        new TimeColumn<IndexTickRow>("ts", r => r.Timestamp),
        new DecimalColumn<IndexTickRow>("brti", r => r.Brti),
        new DecimalColumn<IndexTickRow>("coinbase", r => r.Coinbase),
        new DecimalColumn<IndexTickRow>("kraken", r => r.Kraken),
        new DecimalColumn<IndexTickRow>("bitstamp", r => r.Bitstamp),
        new DecimalColumn<IndexTickRow>("official_index", r => r.OfficialIndex),
        new TimeColumn<IndexTickRow>("official_index_ts", r => r.OfficialIndexTs),
    ]);
}
