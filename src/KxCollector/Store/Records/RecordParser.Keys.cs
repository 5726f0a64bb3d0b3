using System.Text;
using System.Text.Json;
using KxCollector.Records;

namespace KxCollector.Store.Records;

/// <summary>
/// The record types' keys and type names as UTF-8, for <see cref="System.Text.Json.Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/>
/// on the hot parse path: the store has no key names of its own, so a key renamed or added in a record type is a
/// change here, which <c>StoreMappingCoversEveryRecordKeyTests</c> demands.
/// </summary>
internal sealed partial class RecordParser
{
    private static class K
    {
        public static readonly byte[] Type = U(RecordJson.Type), Ts = U(RecordJson.Ts), Ticker = U(RecordJson.Ticker), Src = U(RecordJson.Src);

        public static readonly byte[] TickType = U(TickRecord.Type), SettlementType = U(SettlementRecord.Type), TradeType = U(TradeRecord.Type),
            LifecycleType = U(LifecycleRecord.Type), CandleType = U(CandleRecord.Type), MarketType = U(MarketRecord.Type),
            IndexType = U(IndexRecord.Type), GameType = U(GameRecord.Type);

        public static readonly byte[] Brti = U(TickRecord.BrtiKey), Coinbase = U(TickRecord.CoinbaseKey), Kraken = U(TickRecord.KrakenKey),
            Bitstamp = U(TickRecord.BitstampKey), Markets = U(TickRecord.MarketsKey), OfficialIndex = U(TickRecord.OfficialIndexKey),
            OfficialIndexTs = U(TickRecord.OfficialIndexTsKey);

        /// <summary>A tick entry's keys in the order its writer puts them (<see cref="TickMarketRecord.Keys"/>).</summary>
        public enum EntryKey
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

        private static readonly byte[][] EntryKeys =
        [
            U(RecordJson.Ticker), U(TickMarketRecord.StatusKey), U(TickMarketRecord.YesBidKey), U(TickMarketRecord.YesAskKey),
            U(TickMarketRecord.NoBidKey), U(TickMarketRecord.NoAskKey), U(TickMarketRecord.LastPriceKey), U(TickMarketRecord.VolumeKey),
            U(TickMarketRecord.OpenInterestKey), U(TickMarketRecord.StrikeKey), U(TickMarketRecord.SecsLeftKey), U(TickMarketRecord.AgeMsKey),
            U(RecordJson.Src), U(TickMarketRecord.YesBookName), U(TickMarketRecord.NoBookName),
        ];

        /// <summary>
        /// Which entry key the reader is on. Ten markets a second make this the hot loop: the key the writer puts next
        /// is tried first (one comparison per key on a recorded line), then all of them (any order is read).
        /// </summary>
        public static EntryKey EntryKeyAt(ref Utf8JsonReader r, ref int expected)
        {
            if (expected < EntryKeys.Length && r.ValueTextEquals(EntryKeys[expected]))
            {
                return (EntryKey)expected++;
            }

            for (var i = 0; i < EntryKeys.Length; i++)
            {
                if (r.ValueTextEquals(EntryKeys[i]))
                {
                    expected = i + 1;
                    return (EntryKey)i;
                }
            }

            return EntryKey.Unknown;
        }

        public static readonly byte[] TradeId = U(TradeRecord.TradeIdKey), YesPrice = U(TradeRecord.YesPriceKey), NoPrice = U(TradeRecord.NoPriceKey),
            Count = U(TradeRecord.CountKey), TakerSide = U(TradeRecord.TakerSideKey), TakerOutcomeSide = U(TradeRecord.TakerOutcomeSideKey),
            TakerBookSide = U(TradeRecord.TakerBookSideKey), IsBlockTrade = U(TradeRecord.IsBlockTradeKey);

        // close_time, result, expiration_value and strike are one key in the settlement, lifecycle and market records;
        // the mapping test reads every record's own constant, so a record that renames its copy fails there.
        public static readonly byte[] Event = U(LifecycleRecord.EventKey), CloseTime = U(SettlementRecord.CloseTimeKey),
            Result = U(SettlementRecord.ResultKey), ExpirationValue = U(SettlementRecord.ExpirationValueKey), Strike = U(SettlementRecord.StrikeKey),
            BrtiAvg60 = U(SettlementRecord.BrtiAvg60Key), BrtiSamples = U(SettlementRecord.BrtiSamplesKey),
            OfficialAvg60 = U(SettlementRecord.OfficialAvg60Key), OfficialSamples = U(SettlementRecord.OfficialSamplesKey),
            KalshiAvg60 = U(SettlementRecord.KalshiAvg60Key), KalshiWindowSize = U(SettlementRecord.KalshiWindowSizeKey),
            KalshiWindowStart = U(SettlementRecord.KalshiWindowStartKey), KalshiWindowEnd = U(SettlementRecord.KalshiWindowEndKey);

        public static readonly byte[] Interval = U(CandleRecord.IntervalKey), PeriodInterval = U(CandleRecord.KalshiPeriodIntervalKey),
            End = U(CandleRecord.EndKey), EndPeriodTs = U(CandleRecord.KalshiEndPeriodTsKey), CandleYesBid = U(CandleRecord.YesBidKey),
            CandleYesAsk = U(CandleRecord.YesAskKey), Price = U(CandleRecord.PriceKey), Volume = U(CandleRecord.VolumeKey),
            OpenInterest = U(CandleRecord.OpenInterestKey), Open = U(CandleRecord.OpenKey), High = U(CandleRecord.HighKey),
            Low = U(CandleRecord.LowKey), Close = U(CandleRecord.CloseKey), Mean = U(CandleRecord.MeanKey), Previous = U(CandleRecord.PreviousKey);

        public static readonly byte[] Status = U(MarketRecord.StatusKey), EventTicker = U(MarketRecord.EventTickerKey),
            OpenTime = U(MarketRecord.OpenTimeKey), SettlementTs = U(MarketRecord.SettlementTsKey), CapStrike = U(MarketRecord.CapStrikeKey),
            LastPrice = U(MarketRecord.LastPriceKey);

        public static readonly byte[] YesPayout = U(LifecycleRecord.YesPayoutKey), SettlementValue = U(LifecycleRecord.OlderSettlementValueKey),
            DeterminedTime = U(LifecycleRecord.DeterminedTimeKey), SettledTime = U(LifecycleRecord.SettledTimeKey);

        public static readonly byte[] IndexId = U(IndexRecord.IndexIdKey), Value = U(IndexRecord.ValueKey), ReceivedAt = U(IndexRecord.ReceivedAtKey);

        private static byte[] U(string key) => Encoding.UTF8.GetBytes(key);
    }
}
