using System.Text.Json;

namespace KxCollector.Store.Records;

// The keys agreed across branches (issue 12: official index, trade sides, yes_payout; issue 14: games), read here
// so every reader of the files (the store, the export) sees them the same way once their writers merge.
internal sealed partial class RecordParser
{
    private AgreedFields _g;

    private OfficialSettlement OfficialSettlement() =>
        new(_g.OfficialAvg60, _g.OfficialSamples, _g.KalshiAvg60, _g.KalshiWindowSize, _g.KalshiWindowStart, _g.KalshiWindowEnd);

    private LifecycleFields LifecycleFields() =>
        new(_f.Result, _f.ExpirationValue, _g.YesPayout, _f.OpenTime, _f.CloseTime, _g.DeterminedTime, _g.SettledTime);

    private LineOutcome AddIndexPrint(StoreBatch batch)
    {
        if (_f.Ts is not { } ts || _g.Value is null)
        {
            return LineOutcome.Rejected;
        }

        batch.IndexPrints.Add(new IndexPrintRow(ts, _g.IndexId, _g.Value, _g.ReceivedAt));
        return LineOutcome.Stored;
    }

    private LineOutcome AddGame(ReadOnlySpan<byte> line, StoreBatch batch)
    {
        if (_f.Ts is not { } ts || string.IsNullOrEmpty(_g.MilestoneId))
        {
            return LineOutcome.Rejected;
        }

        batch.Games.Add(new GameRow(ts, _g.MilestoneId, _g.EventTickers.ToText(line), _g.MilestoneType, _g.Details.ToText(line)));
        return LineOutcome.Stored;
    }

    /// <summary>False for a key none of the agreed records has.</summary>
    private bool ReadAgreedKey(ref Utf8JsonReader r)
    {
        if (r.ValueTextEquals("official_index"u8))
        {
            r.Read();
            _g.OfficialIndex = ReadDecimal(ref r);
            _f.HasIndexKeys = true;
        }
        else if (r.ValueTextEquals("official_index_ts"u8))
        {
            r.Read();
            _g.OfficialIndexTs = ReadTime(ref r);
        }
        else if (r.ValueTextEquals("official_avg60"u8))
        {
            r.Read();
            _g.OfficialAvg60 = ReadDecimal(ref r);
        }
        else if (r.ValueTextEquals("official_samples"u8))
        {
            r.Read();
            _g.OfficialSamples = ReadInt(ref r);
        }
        else if (r.ValueTextEquals("kalshi_avg60"u8))
        {
            r.Read();
            _g.KalshiAvg60 = ReadDecimal(ref r);
        }
        else if (r.ValueTextEquals("kalshi_avg60_window_size"u8))
        {
            r.Read();
            _g.KalshiWindowSize = ReadInt(ref r);
        }
        else if (r.ValueTextEquals("kalshi_avg60_window_start"u8))
        {
            r.Read();
            _g.KalshiWindowStart = ReadTime(ref r);
        }
        else if (r.ValueTextEquals("kalshi_avg60_window_end"u8))
        {
            r.Read();
            _g.KalshiWindowEnd = ReadTime(ref r);
        }
        else if (r.ValueTextEquals("taker_outcome_side"u8))
        {
            r.Read();
            _g.TakerOutcomeSide = ReadString(ref r);
        }
        else if (r.ValueTextEquals("taker_book_side"u8))
        {
            r.Read();
            _g.TakerBookSide = ReadString(ref r);
        }
        else if (r.ValueTextEquals("is_block_trade"u8))
        {
            r.Read();
            _g.IsBlockTrade = ReadBool(ref r);
        }
        else if (r.ValueTextEquals("yes_payout"u8))
        {
            r.Read();
            _g.YesPayout = ReadDecimal(ref r);
        }
        else if (r.ValueTextEquals("determined_time"u8))
        {
            r.Read();
            _g.DeterminedTime = ReadTime(ref r);
        }
        else if (r.ValueTextEquals("settled_time"u8))
        {
            r.Read();
            _g.SettledTime = ReadTime(ref r);
        }
        else
        {
            return ReadIndexOrGameKey(ref r);
        }

        return true;
    }

    private bool ReadIndexOrGameKey(ref Utf8JsonReader r)
    {
        if (r.ValueTextEquals("index_id"u8))
        {
            r.Read();
            _g.IndexId = ReadString(ref r);
        }
        else if (r.ValueTextEquals("value"u8))
        {
            r.Read();
            _g.Value = ReadDecimal(ref r);
        }
        else if (r.ValueTextEquals("received_at"u8))
        {
            r.Read();
            _g.ReceivedAt = ReadTime(ref r);
        }
        else if (r.ValueTextEquals("milestone_id"u8))
        {
            r.Read();
            _g.MilestoneId = ReadString(ref r);
        }
        else if (r.ValueTextEquals("milestone_type"u8))
        {
            r.Read();
            _g.MilestoneType = ReadString(ref r);
        }
        else if (r.ValueTextEquals("event_tickers"u8))
        {
            r.Read();
            _g.EventTickers = ReadRawArray(ref r);
        }
        else if (r.ValueTextEquals("details"u8))
        {
            r.Read();
            _g.Details = ReadRaw(ref r, JsonTokenType.StartObject);
        }
        else
        {
            return false;
        }

        return true;
    }

    private bool? ReadBool(ref Utf8JsonReader r)
    {
        if (r.TokenType is JsonTokenType.True or JsonTokenType.False)
        {
            return r.GetBoolean();
        }

        if (r.TokenType != JsonTokenType.Null)
        {
            BadValue(ref r);
        }

        return null;
    }

    private struct AgreedFields
    {
        public decimal? OfficialIndex;
        public DateTime? OfficialIndexTs;
        public decimal? OfficialAvg60;
        public int? OfficialSamples;
        public decimal? KalshiAvg60;
        public int? KalshiWindowSize;
        public DateTime? KalshiWindowStart;
        public DateTime? KalshiWindowEnd;
        public string? TakerOutcomeSide;
        public string? TakerBookSide;
        public bool? IsBlockTrade;
        public decimal? YesPayout;
        public DateTime? DeterminedTime;
        public DateTime? SettledTime;
        public string? IndexId;
        public decimal? Value;
        public DateTime? ReceivedAt;
        public string? MilestoneId;
        public string? MilestoneType;
        public RawSlice EventTickers;
        public RawSlice Details;
    }
}
