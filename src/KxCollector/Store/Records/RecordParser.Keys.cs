using System.Text;
using System.Text.Json;
using KxCollector.Records;

namespace KxCollector.Store.Records;

/// <summary>
/// The record types' keys and type names as UTF-8, for <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/>
/// on the hot parse path: the store has no key names of its own, so a key renamed or added in a record type is a
/// change here, which <c>StoreMappingCoversEveryRecordKeyTests</c> demands.
/// </summary>
internal sealed partial class RecordParser
{
    private static class K
    {
        public static readonly byte[] TickType = U(TickRecord.Type), SettlementType = U(SettlementRecord.Type), TradeType = U(TradeRecord.Type),
            LifecycleType = U(LifecycleRecord.Type), CandleType = U(CandleRecord.Type), MarketType = U(MarketRecord.Type),
            IndexType = U(IndexRecord.Type), GameType = U(GameRecord.Type);

        public static readonly byte[] Open = U(CandleRecord.OpenKey), High = U(CandleRecord.HighKey), Low = U(CandleRecord.LowKey),
            Close = U(CandleRecord.CloseKey), Mean = U(CandleRecord.MeanKey), Previous = U(CandleRecord.PreviousKey);

        /// <summary>
        /// Every top-level key of every record type, a tick's first in its writer's order. close_time, result,
        /// expiration_value, strike, volume and open_interest are one key in several records; the mapping test reads
        /// each record's own constant, so a record that renames its copy fails there.
        /// </summary>
        public enum Top
        {
            Unknown = -1,
            Type,
            Ts,
            Brti,
            OfficialIndex,
            OfficialIndexTs,
            Coinbase,
            Kraken,
            Bitstamp,
            Markets,
            Ticker,
            TradeId,
            YesPrice,
            NoPrice,
            Count,
            TakerSide,
            TakerOutcomeSide,
            TakerBookSide,
            IsBlockTrade,
            Src,
            Event,
            CloseTime,
            Result,
            ExpirationValue,
            Strike,
            BrtiAvg60,
            BrtiSamples,
            OfficialAvg60,
            OfficialSamples,
            KalshiAvg60,
            KalshiWindowSize,
            KalshiWindowStart,
            KalshiWindowEnd,
            Interval,
            PeriodInterval,
            End,
            EndPeriodTs,
            CandleYesBid,
            CandleYesAsk,
            Price,
            Volume,
            OpenInterest,
            EventTicker,
            Status,
            OpenTime,
            SettlementTs,
            CapStrike,
            LastPrice,
            YesPayout,
            SettlementValue,
            DeterminedTime,
            SettledTime,
            IndexId,
            Value,
            ReceivedAt,
        }

        public static readonly KeyTable TopKeys = new(
        [
            RecordJson.Type, RecordJson.Ts, TickRecord.BrtiKey, TickRecord.OfficialIndexKey, TickRecord.OfficialIndexTsKey,
            TickRecord.CoinbaseKey, TickRecord.KrakenKey, TickRecord.BitstampKey, TickRecord.MarketsKey, RecordJson.Ticker,
            TradeRecord.TradeIdKey, TradeRecord.YesPriceKey, TradeRecord.NoPriceKey, TradeRecord.CountKey, TradeRecord.TakerSideKey,
            TradeRecord.TakerOutcomeSideKey, TradeRecord.TakerBookSideKey, TradeRecord.IsBlockTradeKey, RecordJson.Src,
            LifecycleRecord.EventKey, SettlementRecord.CloseTimeKey, SettlementRecord.ResultKey, SettlementRecord.ExpirationValueKey,
            SettlementRecord.StrikeKey, SettlementRecord.BrtiAvg60Key, SettlementRecord.BrtiSamplesKey, SettlementRecord.OfficialAvg60Key,
            SettlementRecord.OfficialSamplesKey, SettlementRecord.KalshiAvg60Key, SettlementRecord.KalshiWindowSizeKey,
            SettlementRecord.KalshiWindowStartKey, SettlementRecord.KalshiWindowEndKey, CandleRecord.IntervalKey,
            CandleRecord.KalshiPeriodIntervalKey, CandleRecord.EndKey, CandleRecord.KalshiEndPeriodTsKey, CandleRecord.YesBidKey,
            CandleRecord.YesAskKey, CandleRecord.PriceKey, CandleRecord.VolumeKey, CandleRecord.OpenInterestKey, MarketRecord.EventTickerKey,
            MarketRecord.StatusKey, MarketRecord.OpenTimeKey, MarketRecord.SettlementTsKey, MarketRecord.CapStrikeKey, MarketRecord.LastPriceKey,
            LifecycleRecord.YesPayoutKey, LifecycleRecord.OlderSettlementValueKey, LifecycleRecord.DeterminedTimeKey,
            LifecycleRecord.SettledTimeKey, IndexRecord.IndexIdKey, IndexRecord.ValueKey, IndexRecord.ReceivedAtKey,
        ]);

        /// <summary>A tick entry's keys in the order its writer puts them (<see cref="TickMarketRecord.Keys"/>).</summary>
        public enum Entry
        {
            Unknown = -1,
            Ticker,
            Status,
            YesBid,
            YesAsk,
            NoBid,
            NoAsk,
            LastPrice,
            Volume,
            OpenInterest,
            Strike,
            SecsLeft,
            AgeMs,
            Src,
            YesBook,
            NoBook,
        }

        public static readonly KeyTable EntryKeys = new(
        [
            RecordJson.Ticker, TickMarketRecord.StatusKey, TickMarketRecord.YesBidKey, TickMarketRecord.YesAskKey, TickMarketRecord.NoBidKey,
            TickMarketRecord.NoAskKey, TickMarketRecord.LastPriceKey, TickMarketRecord.VolumeKey, TickMarketRecord.OpenInterestKey,
            TickMarketRecord.StrikeKey, TickMarketRecord.SecsLeftKey, TickMarketRecord.AgeMsKey, RecordJson.Src, TickMarketRecord.YesBookName,
            TickMarketRecord.NoBookName,
        ]);

        private static byte[] U(string key) => Encoding.UTF8.GetBytes(key);
    }

    /// <summary>Keys by position (an enum's values), matched against the reader's current property name.</summary>
    private sealed class KeyTable(IReadOnlyList<string> keys)
    {
        private readonly byte[][] _keys = [.. keys.Select(Encoding.UTF8.GetBytes)];

        /// <summary>
        /// The position of the reader's key, or -1. A million lines an import make this the hot loop: the key after the
        /// last one found is tried first (one comparison per key on a line in its writer's order), then all of them
        /// (any order is read).
        /// </summary>
        public int Find(ref Utf8JsonReader r, ref int expected)
        {
            if (expected < _keys.Length && r.ValueTextEquals(_keys[expected]))
            {
                return expected++;
            }

            for (var i = 0; i < _keys.Length; i++)
            {
                if (r.ValueTextEquals(_keys[i]))
                {
                    expected = i + 1;
                    return i;
                }
            }

            return -1;
        }
    }
}
