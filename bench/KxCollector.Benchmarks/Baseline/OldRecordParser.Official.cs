// Frozen with OldRecordParser.cs (main at 3944f0e).
using System.Text.Json;

using KxCollector.Store.Records;

namespace KxCollector.Benchmarks.Baseline;

/// <summary>
/// The official CF Benchmarks index keys: <c>index</c> lines (index_id, value, received_at), a tick's official_index and
/// official_index_ts, and a settlement's official_avg60, official_samples and kalshi_avg60 with its window.
/// </summary>
internal sealed partial class OldRecordParser
{
    private OfficialFields _o;

    private bool ReadOfficialTopLevel(ref Utf8JsonReader r)
    {
        if (r.ValueTextEquals("official_index"u8))
        {
            r.Read();
            _o.OfficialIndex = ReadDecimal(ref r);
            _o.HasOfficialIndex = true;
        }
        else if (r.ValueTextEquals("official_index_ts"u8))
        {
            r.Read();
            _o.OfficialIndexTs = ReadTime(ref r);
        }
        else if (r.ValueTextEquals("index_id"u8))
        {
            r.Read();
            _o.IndexId = ReadString(ref r);
        }
        else if (r.ValueTextEquals("value"u8))
        {
            r.Read();
            _o.Value = ReadDecimal(ref r);
        }
        else if (r.ValueTextEquals("received_at"u8))
        {
            r.Read();
            _o.ReceivedAt = ReadTime(ref r);
        }
        else if (r.ValueTextEquals("official_avg60"u8))
        {
            r.Read();
            _o.OfficialAvg60 = ReadDecimal(ref r);
        }
        else if (r.ValueTextEquals("official_samples"u8))
        {
            r.Read();
            _o.OfficialSamples = ReadInt(ref r);
        }
        else if (r.ValueTextEquals("kalshi_avg60"u8))
        {
            r.Read();
            _o.KalshiAvg60 = ReadDecimal(ref r);
        }
        else if (r.ValueTextEquals("kalshi_avg60_window_size"u8))
        {
            r.Read();
            _o.KalshiWindowSize = ReadInt(ref r);
        }
        else if (r.ValueTextEquals("kalshi_avg60_window_start"u8))
        {
            r.Read();
            _o.KalshiWindowStart = ReadTime(ref r);
        }
        else if (r.ValueTextEquals("kalshi_avg60_window_end"u8))
        {
            r.Read();
            _o.KalshiWindowEnd = ReadTime(ref r);
        }
        else
        {
            return false;
        }

        return true;
    }

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
