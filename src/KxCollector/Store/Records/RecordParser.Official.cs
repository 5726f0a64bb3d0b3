using System.Text.Json;

namespace KxCollector.Store.Records;

/// <summary>
/// The official CF Benchmarks index keys: <c>index</c> lines (index_id, value, received_at), a tick's official_index and
/// official_index_ts, and a settlement's official_avg60, official_samples and kalshi_avg60 with its window.
/// </summary>
internal sealed partial class RecordParser
{
    private OfficialFields _o;

    private OfficialSettlementColumns OfficialColumns() =>
        new(_o.OfficialAvg60, _o.OfficialSamples, _o.KalshiAvg60, _o.KalshiWindowSize, _o.KalshiWindowStart, _o.KalshiWindowEnd);

    private LineOutcome AddIndexPrint(StoreBatch batch)
    {
        if (_f.Ts is not { } ts || string.IsNullOrEmpty(_o.IndexId) || _o.Value is not { } value)
        {
            return LineOutcome.Rejected;
        }

        batch.IndexPrints.Add(new IndexPrintRow(_o.IndexId, ts, value, _o.ReceivedAt));
        return LineOutcome.Stored;
    }

    private struct OfficialFields
    {
        public bool HasOfficialIndex;
        public decimal? OfficialIndex;
        public DateTime? OfficialIndexTs;
        public string? IndexId;
        public decimal? Value;
        public DateTime? ReceivedAt;
        public decimal? OfficialAvg60;
        public int? OfficialSamples;
        public decimal? KalshiAvg60;
        public int? KalshiWindowSize;
        public DateTime? KalshiWindowStart;
        public DateTime? KalshiWindowEnd;
    }
}
