using KxCollector.Store.Records;

namespace KxCollector.Export.Tables;

internal static class SettlementsTable
{
    public static ExportTable<SettlementRow> Shape { get; } = new("settlements",
    [
        new TimeColumn<SettlementRow>("ts", r => r.Timestamp),
        new TextColumn<SettlementRow>("ticker", r => r.Ticker),
        new TimeColumn<SettlementRow>("close_time", r => r.CloseTime),
        new TextColumn<SettlementRow>("result", r => r.Result),
        new DecimalColumn<SettlementRow>("expiration_value", r => r.ExpirationValue),
        new DecimalColumn<SettlementRow>("strike", r => r.Strike),
        new DecimalColumn<SettlementRow>("brti_avg60", r => r.BrtiAvg60),
        new IntColumn<SettlementRow>("brti_samples", r => r.BrtiSamples),
        new DecimalColumn<SettlementRow>("official_avg60", r => r.Official.OfficialAvg60),
        new IntColumn<SettlementRow>("official_samples", r => r.Official.OfficialSamples),
        new DecimalColumn<SettlementRow>("kalshi_avg60", r => r.Official.KalshiAvg60),
        new IntColumn<SettlementRow>("kalshi_avg60_window_size", r => r.Official.KalshiWindowSize),
        new TimeColumn<SettlementRow>("kalshi_avg60_window_start", r => r.Official.KalshiWindowStart),
        new TimeColumn<SettlementRow>("kalshi_avg60_window_end", r => r.Official.KalshiWindowEnd),
        new TextColumn<SettlementRow>("src", r => r.Src),
    ]);
}
