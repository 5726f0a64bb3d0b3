using KxCollector.Store.Records;

namespace KxCollector.Export.Tables;

/// <summary>Lifecycle events: the common fields as columns, and the whole recorded line in details (JSON text).</summary>
internal static class LifecycleTable
{
    public static ExportTable<LifecycleRow> Shape { get; } = new("lifecycle",
    [
        new TimeColumn<LifecycleRow>("ts", r => r.Timestamp),
        new TextColumn<LifecycleRow>("ticker", r => r.Ticker),
        new TextColumn<LifecycleRow>("event", r => r.Event),
        new TextColumn<LifecycleRow>("result", r => r.Fields.Result),
        new DecimalColumn<LifecycleRow>("settlement_value", r => r.Fields.SettlementValue),
        new DecimalColumn<LifecycleRow>("yes_payout", r => r.Fields.YesPayout),
        new TimeColumn<LifecycleRow>("open_time", r => r.Fields.OpenTime),
        new TimeColumn<LifecycleRow>("close_time", r => r.Fields.CloseTime),
        new TimeColumn<LifecycleRow>("determined_time", r => r.Fields.DeterminedTime),
        new TimeColumn<LifecycleRow>("settled_time", r => r.Fields.SettledTime),
        new TextColumn<LifecycleRow>("src", r => r.Src),
        new TextColumn<LifecycleRow>("details", r => r.Details),
    ]);
}
