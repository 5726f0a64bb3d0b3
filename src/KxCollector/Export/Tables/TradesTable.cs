using KxCollector.Store.Records;

namespace KxCollector.Export.Tables;

/// <summary>Stream and backfilled trades, one row per trade_id (src tells which line it came from).</summary>
internal static class TradesTable
{
    public static ExportTable<TradeRow> Shape { get; } = new("trades",
    [
        new TimeColumn<TradeRow>("ts", r => r.Timestamp),
        new TextColumn<TradeRow>("ticker", r => r.Ticker),
        new TextColumn<TradeRow>("trade_id", r => r.TradeId),
        new DecimalColumn<TradeRow>("yes_price", r => r.YesPrice),
        new DecimalColumn<TradeRow>("no_price", r => r.NoPrice),
        new DecimalColumn<TradeRow>("count", r => r.Count),
        new TextColumn<TradeRow>("taker_side", r => r.TakerSide),
        new TextColumn<TradeRow>("taker_outcome_side", r => r.TakerOutcomeSide),
        new TextColumn<TradeRow>("taker_book_side", r => r.TakerBookSide),
        new BoolColumn<TradeRow>("is_block_trade", r => r.IsBlockTrade),
        new TextColumn<TradeRow>("src", r => r.Src),
    ]);
}
