using KxCollector.Records;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KxCollector.Store.Records;

/// <summary>
/// Turns one recorded JSONL line into rows of a <see cref="StoreBatch"/>, with a <see cref="Utf8JsonReader"/> over
/// the line's bytes (a history import parses millions of lines). Tolerant by design: keys may come in any order,
/// unknown keys are skipped and counted, an unknown record type is skipped and counted, and a bad value in an
/// optional field is stored as null. A line adds rows only once it has parsed whole. Not thread-safe.
/// The keys are the record types' own (<see cref="K"/>): this class maps them to rows. It does not go through the
/// record types' <c>Read</c> (a JsonElement per line): on a day of ticks that costs 2.4 times the time and 6 times the
/// allocation per line (RecordParserBenchmarks), and db import is held to 100k rows/s.
/// </summary>
internal sealed partial class RecordParser
{
    /// <summary>How many distinct unknown names are remembered for reporting; past that they are only counted.</summary>
    public const int MaxRememberedNames = 64;

    private readonly List<MarketFields> _markets = [];
    private readonly HashSet<string> _unknownNames = new(StringComparer.Ordinal);
    private readonly List<string> _newUnknownNames = [];
    private readonly List<string> _lineUnknownNames = [];
    private Fields _f;

    /// <summary>Keys of known records that this version does not store (ignored).</summary>
    public long UnknownFields { get; private set; }

    /// <summary>Known keys whose value had the wrong type (stored as null).</summary>
    public long BadValues { get; private set; }

    /// <summary>
    /// Unknown record types and keys seen for the first time since the last call, as "type" or "type.key": how the
    /// store says once, not per line, that a newer recorder writes something it does not keep.
    /// </summary>
    public IReadOnlyList<string> TakeNewUnknownNames()
    {
        if (_newUnknownNames.Count == 0)
        {
            return [];
        }

        var names = _newUnknownNames.ToArray();
        _newUnknownNames.Clear();
        return names;
    }

    /// <param name="line">One line without its '\n'.</param>
    /// <param name="series">The series of the file (its name's prefix, upper-case): index ticks are keyed by it.</param>
    public LineOutcome Parse(ReadOnlySpan<byte> line, string series, StoreBatch batch)
    {
        if (line.TrimEnd(" \t\r"u8).IsEmpty)
        {
            return LineOutcome.Blank;
        }

        _f = default;
        _o = default;
        _markets.Clear();
        _lineUnknownNames.Clear();
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return LineOutcome.Unparseable;
            }

            ReadTopLevel(ref reader);

            // One JSON value per line: anything after it means two records glued together by a torn write.
            if (reader.Read())
            {
                return LineOutcome.Unparseable;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return LineOutcome.Unparseable;
        }

        var outcome = _f.Type switch
        {
            RecordType.Tick => AddTick(line, series, batch),
            RecordType.Settlement => AddSettlement(batch),
            RecordType.Trade => AddTrade(batch),
            RecordType.Lifecycle => AddLifecycle(line, batch),
            RecordType.Candle => AddCandle(batch),
            RecordType.Market => AddMarket(batch),
            RecordType.Index => AddIndexPrint(batch),
            RecordType.Game => AddGame(line, batch),
            RecordType.Missing => LineOutcome.Rejected,
            _ => UnknownType(),
        };
        if (outcome == LineOutcome.Stored && (_f.EndPeriod ?? _f.Ts) is { } ts)
        {
            batch.NoteRecordTime(ts);
        }

        // A lifecycle record keeps all its keys (in details), a game record is read by its own parser: none unknown.
        if (_f.Type is not (RecordType.Lifecycle or RecordType.Game))
        {
            foreach (var name in _lineUnknownNames)
            {
                UnknownFields++;
                Remember(name);
            }
        }

        return outcome;
    }

    private static LineOutcome AddGame(ReadOnlySpan<byte> line, StoreBatch batch)
    {
        if (GameRecordParser.Parse(line) is not { } row)
        {
            return LineOutcome.Rejected;
        }

        batch.AddGameState(row);
        return LineOutcome.Stored;
    }

    private LineOutcome UnknownType()
    {
        Remember(_f.TypeName ?? "?");
        return LineOutcome.UnknownType;
    }

    private LineOutcome AddTick(ReadOnlySpan<byte> line, string series, StoreBatch batch)
    {
        if (_f.Ts is not { } ts)
        {
            return LineOutcome.Rejected;
        }

        // Series that do not settle on BRTI (sports) write no exchange keys at all: no index row for them.
        if (_f.HasIndexKeys || _o.HasOfficialIndex)
        {
            batch.IndexTicks.Add(new IndexTickRow(ts, series, _f.Brti, _f.Coinbase, _f.Kraken, _f.Bitstamp, _o.OfficialIndex, _o.OfficialIndexTs));
        }

        foreach (var m in _markets)
        {
            batch.Snapshots.Add(new SnapshotRow(
                m.Ticker!, ts, m.Status, m.YesBid, m.YesAsk, m.NoBid, m.NoAsk, m.LastPrice, m.Volume, m.OpenInterest, m.Strike, m.SecsLeft, m.AgeMs, m.Src));
            if (m.YesBook.Length > 0 || m.NoBook.Length > 0)
            {
                batch.Depth.Add(new DepthRow(m.Ticker!, ts, m.YesBook.ToText(line), m.NoBook.ToText(line)));
            }

            var meta = batch.MetadataFor(m.Ticker!);
            meta.Seen(ts);
            meta.SetStatus(m.Status, ts);
            meta.SetStrike(m.Strike, ts);
        }

        return LineOutcome.Stored;
    }

    private LineOutcome AddSettlement(StoreBatch batch)
    {
        if (_f.Ts is not { } ts || _f.Ticker is null)
        {
            return LineOutcome.Rejected;
        }

        batch.Settlements.Add(new SettlementRow(_f.Ticker, ts, _f.CloseTime, _f.Result, _f.ExpirationValue, _f.Strike, _f.BrtiAvg60, _f.BrtiSamples, _f.Src, OfficialColumns()));
        var meta = batch.MetadataFor(_f.Ticker);
        meta.SetResult(_f.Result, _f.ExpirationValue, _f.CloseTime, ts);
        meta.SetStrike(_f.Strike, ts);

        // The recorder writes a settlement line only once Kalshi reports the market finalized.
        meta.SetStatus("finalized", ts);
        return LineOutcome.Stored;
    }

    private LineOutcome AddTrade(StoreBatch batch)
    {
        if (_f.Ts is not { } ts || _f.Ticker is null || string.IsNullOrEmpty(_f.TradeId))
        {
            return LineOutcome.Rejected;
        }

        batch.Trades.Add(new TradeRow(_f.TradeId, _f.Ticker, ts, _f.YesPrice, _f.NoPrice, _f.Count, _f.TakerSide, _f.Src, _f.TakerOutcomeSide, _f.TakerBookSide, _f.IsBlockTrade));
        return LineOutcome.Stored;
    }

    private LineOutcome AddLifecycle(ReadOnlySpan<byte> line, StoreBatch batch)
    {
        if (_f.Ts is not { } ts || _f.Ticker is null || string.IsNullOrEmpty(_f.Event))
        {
            return LineOutcome.Rejected;
        }

        // The event's own fields vary by kind and Kalshi adds more over time: keep the whole record.
        batch.Lifecycle.Add(new LifecycleRow(_f.Ticker, ts, _f.Event, Encoding.UTF8.GetString(line), _f.Src,
            new LifecycleFields(_f.Result, _f.SettlementValue, _f.YesPayout, _f.OpenTime, _f.CloseTime, _f.DeterminedTime, _f.SettledTime)));
        var meta = batch.MetadataFor(_f.Ticker);
        meta.SetEvent(_f.Event, ts);
        meta.SetStatus(StatusAfter(_f.Event), ts);
        meta.SetCloseTime(_f.CloseTime);
        meta.SetMarketFields(null, _f.OpenTime, null);
        meta.SetResultOnly(_f.Result, _f.ExpirationValue);
        return LineOutcome.Stored;
    }

    /// <summary>
    /// The market status a lifecycle event implies (Kalshi's status names, as ticks carry them), or null for events
    /// that do not change it (created, close_date_updated, metadata_updated, …).
    /// </summary>
    private static string? StatusAfter(string lifecycleEvent) => lifecycleEvent switch
    {
        "activated" => "active",
        "deactivated" => "inactive",
        "determined" => "determined",
        "settled" => "finalized",
        _ => null,
    };

    private LineOutcome AddCandle(StoreBatch batch)
    {
        var end = _f.EndPeriod ?? _f.Ts;
        if (end is null || _f.Ticker is null || _f.PeriodMinutes is not { } minutes)
        {
            return LineOutcome.Rejected;
        }

        batch.Candles.Add(new CandleRow(_f.Ticker, minutes, end.Value, _f.YesBidOhlc, _f.YesAskOhlc, _f.PriceOhlc, _f.Volume, _f.OpenInterest, _f.Src));
        return LineOutcome.Stored;
    }

    private LineOutcome AddMarket(StoreBatch batch)
    {
        if (_f.Ts is not { } ts || _f.Ticker is null)
        {
            return LineOutcome.Rejected;
        }

        var meta = batch.MetadataFor(_f.Ticker);
        meta.Seen(ts);

        // The backfill dates a market record by its close, but fetched it after settlement: its status is known as
        // of settlement_ts, so a live tick between close and settlement ("closed", "determined") does not undo it.
        var statusAt = _f.SettlementTime is { } settled && settled > ts ? settled : ts;
        meta.SetStatus(_f.Status, statusAt);
        meta.SetStrike(_f.Strike, ts);
        meta.SetCloseTime(_f.CloseTime);
        meta.SetMarketFields(_f.EventTicker, _f.OpenTime, _f.CapStrike);
        if (_f.Result is not null && _f.SettlementTime is { } settledAt)
        {
            meta.SetResult(_f.Result, _f.ExpirationValue, _f.CloseTime, settledAt);
        }
        else
        {
            meta.SetResultOnly(_f.Result, _f.ExpirationValue);
        }

        return LineOutcome.Stored;
    }

    private void ReadTopLevel(ref Utf8JsonReader r)
    {
        _f.Type = RecordType.Missing;
        var expected = 0;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var key = (K.Top)K.TopKeys.Find(ref r, ref expected);
            if (key == K.Top.Unknown)
            {
                SkipUnknown(ref r, "record");
                continue;
            }

            r.Read();
            ReadTopLevelValue(ref r, key);
        }
    }

    /// <summary>The value of a key of any record type: the type is not known until its "type" key, which may come last.</summary>
    private void ReadTopLevelValue(ref Utf8JsonReader r, K.Top key)
    {
        switch (key)
        {
            case K.Top.Type: ReadType(ref r); break;
            case K.Top.Ts: _f.Ts = ReadTime(ref r); break;
            case K.Top.Ticker: _f.Ticker = ReadString(ref r); break;
            case K.Top.Src: _f.Src = ReadString(ref r); break;
            case K.Top.Brti: _f.Brti = ReadDecimal(ref r); _f.HasIndexKeys = true; break;
            case K.Top.Coinbase: _f.Coinbase = ReadDecimal(ref r); _f.HasIndexKeys = true; break;
            case K.Top.Kraken: _f.Kraken = ReadDecimal(ref r); _f.HasIndexKeys = true; break;
            case K.Top.Bitstamp: _f.Bitstamp = ReadDecimal(ref r); _f.HasIndexKeys = true; break;
            case K.Top.Markets: ReadMarkets(ref r); break;
            case K.Top.OfficialIndex: _o.OfficialIndex = ReadDecimal(ref r); _o.HasOfficialIndex = true; break;
            case K.Top.OfficialIndexTs: _o.OfficialIndexTs = ReadTime(ref r); break;
            case K.Top.TradeId: _f.TradeId = ReadString(ref r); break;
            case K.Top.YesPrice: _f.YesPrice = ReadDecimal(ref r); break;
            case K.Top.NoPrice: _f.NoPrice = ReadDecimal(ref r); break;
            case K.Top.Count: _f.Count = ReadDecimal(ref r); break;
            case K.Top.TakerSide: _f.TakerSide = ReadString(ref r); break;

            // The same yes/no as Kalshi's deprecated taker_side; the trades table holds it in taker_side
            // (TradeRow.Side). taker_book_side and is_block_trade have no column before a migration: the export has them.
            case K.Top.TakerOutcomeSide: _f.TakerOutcomeSide = ReadString(ref r); break;
            case K.Top.TakerBookSide: _f.TakerBookSide = ReadString(ref r); break;
            case K.Top.IsBlockTrade: _f.IsBlockTrade = ReadBool(ref r); break;
            case K.Top.Event: _f.Event = ReadString(ref r); break;
            case K.Top.CloseTime: _f.CloseTime = ReadTime(ref r); break;

            // Kalshi reports "" until a market is determined: that is no result, not a result to store.
            case K.Top.Result: _f.Result = ReadString(ref r) is { Length: > 0 } result ? result : null; break;

            // Only REST's expiration_value: a lifecycle line's settlement_value (older builds) or yes_payout is the
            // payout per contract, not the value the market settled on, and goes to the lifecycle row only.
            case K.Top.ExpirationValue: _f.ExpirationValue = ReadDecimal(ref r); break;
            case K.Top.Strike: _f.Strike = ReadDecimal(ref r); break;
            case K.Top.BrtiAvg60: _f.BrtiAvg60 = ReadDecimal(ref r); break;
            case K.Top.BrtiSamples: _f.BrtiSamples = ReadInt(ref r); break;
            case K.Top.OfficialAvg60: _o.OfficialAvg60 = ReadDecimal(ref r); break;
            case K.Top.OfficialSamples: _o.OfficialSamples = ReadInt(ref r); break;
            case K.Top.KalshiAvg60: _o.KalshiAvg60 = ReadDecimal(ref r); break;
            case K.Top.KalshiWindowSize: _o.KalshiWindowSize = ReadInt(ref r); break;
            case K.Top.KalshiWindowStart: _o.KalshiWindowStart = ReadTime(ref r); break;
            case K.Top.KalshiWindowEnd: _o.KalshiWindowEnd = ReadTime(ref r); break;
            case K.Top.PeriodInterval: _f.PeriodMinutes = ReadInt(ref r); break;
            case K.Top.Interval: _f.PeriodMinutes = ReadInterval(ref r); break;

            // end is the backfill's name (ISO text), end_period_ts Kalshi's (Unix seconds).
            case K.Top.End or K.Top.EndPeriodTs: _f.EndPeriod = ReadTimeOrUnixSeconds(ref r); break;
            case K.Top.CandleYesBid: _f.YesBidOhlc = ReadOhlc(ref r); break;
            case K.Top.CandleYesAsk: _f.YesAskOhlc = ReadOhlc(ref r); break;
            case K.Top.Price: _f.PriceOhlc = ReadOhlc(ref r); break;
            case K.Top.Volume: _f.Volume = ReadDecimal(ref r); break;
            case K.Top.OpenInterest: _f.OpenInterest = ReadDecimal(ref r); break;
            case K.Top.EventTicker: _f.EventTicker = ReadString(ref r); break;
            case K.Top.Status: _f.Status = ReadString(ref r); break;
            case K.Top.OpenTime: _f.OpenTime = ReadTime(ref r); break;
            case K.Top.SettlementTs: _f.SettlementTime = ReadTime(ref r); break;
            case K.Top.CapStrike: _f.CapStrike = ReadDecimal(ref r); break;

            // Read (so it is not reported as unknown) but not kept: market_metadata holds no quotes; ticks do.
            case K.Top.LastPrice: ReadDecimal(ref r); break;
            case K.Top.YesPayout: _f.YesPayout = ReadDecimal(ref r); break;
            case K.Top.SettlementValue: _f.SettlementValue = ReadDecimal(ref r); break;
            case K.Top.DeterminedTime: _f.DeterminedTime = ReadTime(ref r); break;
            case K.Top.SettledTime: _f.SettledTime = ReadTime(ref r); break;
            case K.Top.IndexId: _o.IndexId = ReadString(ref r); break;
            case K.Top.Value: _o.Value = ReadDecimal(ref r); break;
            case K.Top.ReceivedAt: _o.ReceivedAt = ReadTime(ref r); break;
        }
    }

    private void ReadType(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.String)
        {
            Skip(ref r);
            return;
        }

        _f.Type = r.ValueTextEquals(K.TickType) ? RecordType.Tick
            : r.ValueTextEquals(K.SettlementType) ? RecordType.Settlement
            : r.ValueTextEquals(K.TradeType) ? RecordType.Trade
            : r.ValueTextEquals(K.LifecycleType) ? RecordType.Lifecycle
            : r.ValueTextEquals(K.CandleType) ? RecordType.Candle
            : r.ValueTextEquals(K.MarketType) ? RecordType.Market
            : r.ValueTextEquals(K.IndexType) ? RecordType.Index
            : r.ValueTextEquals(K.GameType) ? RecordType.Game
            : RecordType.Unknown;
        if (_f.Type == RecordType.Unknown)
        {
            _f.TypeName = r.GetString();
        }
    }

    private void ReadMarkets(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            BadValue(ref r);
            return;
        }

        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.StartObject)
            {
                BadValue(ref r);
                continue;
            }

            var m = ReadMarket(ref r);

            // An entry without a ticker cannot be keyed: it is dropped, the rest of the tick is kept.
            if (!string.IsNullOrEmpty(m.Ticker))
            {
                _markets.Add(m);
            }
            else
            {
                BadValues++;
            }
        }
    }

    private MarketFields ReadMarket(ref Utf8JsonReader r)
    {
        var m = default(MarketFields);
        var expected = 0;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var key = (K.Entry)K.EntryKeys.Find(ref r, ref expected);
            if (key == K.Entry.Unknown)
            {
                SkipUnknown(ref r, "market");
                continue;
            }

            r.Read();
            switch (key)
            {
                case K.Entry.Ticker: m.Ticker = ReadString(ref r); break;
                case K.Entry.Status: m.Status = ReadString(ref r); break;
                case K.Entry.YesBid: m.YesBid = ReadDecimal(ref r); break;
                case K.Entry.YesAsk: m.YesAsk = ReadDecimal(ref r); break;
                case K.Entry.NoBid: m.NoBid = ReadDecimal(ref r); break;
                case K.Entry.NoAsk: m.NoAsk = ReadDecimal(ref r); break;
                case K.Entry.LastPrice: m.LastPrice = ReadDecimal(ref r); break;
                case K.Entry.Volume: m.Volume = ReadDecimal(ref r); break;
                case K.Entry.OpenInterest: m.OpenInterest = ReadDecimal(ref r); break;
                case K.Entry.Strike: m.Strike = ReadDecimal(ref r); break;
                case K.Entry.SecsLeft: m.SecsLeft = ReadInt(ref r); break;
                case K.Entry.AgeMs: m.AgeMs = ReadInt(ref r); break;
                case K.Entry.Src: m.Src = ReadString(ref r); break;
                case K.Entry.YesBook: m.YesBook = ReadRawArray(ref r); break;
                case K.Entry.NoBook: m.NoBook = ReadRawArray(ref r); break;
            }
        }

        return m;
    }

    private Ohlc ReadOhlc(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartObject)
        {
            // A plain number where an OHLC object belongs (a flat candle): take it as the close.
            return r.TokenType == JsonTokenType.Number ? new Ohlc(null, null, null, ReadDecimal(ref r), null) : BadOhlc(ref r);
        }

        decimal? open = null, high = null, low = null, close = null, mean = null, previous = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals(K.Open))
            {
                r.Read();
                open = ReadDecimal(ref r);
            }
            else if (r.ValueTextEquals(K.High))
            {
                r.Read();
                high = ReadDecimal(ref r);
            }
            else if (r.ValueTextEquals(K.Low))
            {
                r.Read();
                low = ReadDecimal(ref r);
            }
            else if (r.ValueTextEquals(K.Close))
            {
                r.Read();
                close = ReadDecimal(ref r);
            }
            else if (r.ValueTextEquals(K.Mean))
            {
                r.Read();
                mean = ReadDecimal(ref r);
            }
            else if (r.ValueTextEquals(K.Previous))
            {
                r.Read();
                previous = ReadDecimal(ref r);
            }
            else
            {
                SkipUnknown(ref r, "candle");
            }
        }

        return new Ohlc(open, low, high, close, mean, previous);
    }

    private Ohlc BadOhlc(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.Null)
        {
            BadValue(ref r);
        }

        return default;
    }

    private decimal? ReadDecimal(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Number && r.TryGetDecimal(out var value))
        {
            return value;
        }

        if (r.TokenType != JsonTokenType.Null)
        {
            BadValue(ref r);
        }

        return null;
    }

    private int? ReadInt(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetInt32(out var value))
            {
                return value;
            }

            if (r.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue)
            {
                return (int)d;
            }
        }

        if (r.TokenType != JsonTokenType.Null)
        {
            BadValue(ref r);
        }

        return null;
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

    private string? ReadString(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.String)
        {
            return r.GetString();
        }

        if (r.TokenType != JsonTokenType.Null)
        {
            BadValue(ref r);
        }

        return null;
    }

    private DateTime? ReadTime(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.String && r.TryGetDateTimeOffset(out var value))
        {
            return value.UtcDateTime;
        }

        if (r.TokenType != JsonTokenType.Null)
        {
            BadValue(ref r);
        }

        return null;
    }

    /// <summary>Kalshi's own candles carry end_period_ts as Unix seconds; our records use ISO text. Either is read.</summary>
    private DateTime? ReadTimeOrUnixSeconds(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var seconds) && seconds is > 0 and < 253402300800)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        }

        return ReadTime(ref r);
    }

    /// <summary>"1m", "1h", "1d" (the backfill's --interval) or a number of minutes (Kalshi's period_interval).</summary>
    private int? ReadInterval(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Number)
        {
            return ReadInt(ref r);
        }

        var text = ReadString(ref r);
        if (text is null || text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            if (text is not null)
            {
                BadValues++;
            }

            return null;
        }

        switch (text[^1])
        {
            case 'm':
                return n;
            case 'h':
                return n * 60;
            case 'd':
                return n * 1440;
            default:
                BadValues++;
                return null;
        }
    }

    /// <summary>Where the array's JSON text lies in the line, for a jsonb column (default for a JSON null).</summary>
    private RawSlice ReadRawArray(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            if (r.TokenType != JsonTokenType.Null)
            {
                BadValue(ref r);
            }

            return default;
        }

        // The reader runs over the whole line, so the array is a slice of it: stored as recorded, not re-serialised.
        var start = (int)r.TokenStartIndex;
        r.Skip();
        return new RawSlice(start, (int)r.BytesConsumed - start);
    }

    private void SkipUnknown(ref Utf8JsonReader r, string where)
    {
        // Counted once the line's type is known (see Parse).
        _lineUnknownNames.Add(_unknownNames.Count < MaxRememberedNames ? where + "." + r.GetString() : string.Empty);
        r.Read();
        Skip(ref r);
    }

    private void Remember(string name)
    {
        if (name.Length > 0 && _unknownNames.Count < MaxRememberedNames && _unknownNames.Add(name))
        {
            _newUnknownNames.Add(name);
        }
    }

    private void BadValue(ref Utf8JsonReader r)
    {
        BadValues++;
        Skip(ref r);
    }

    private static void Skip(ref Utf8JsonReader r)
    {
        if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            r.Skip();
        }
    }

    private enum RecordType
    {
        Missing,
        Unknown,
        Tick,
        Settlement,
        Trade,
        Lifecycle,
        Candle,
        Market,
        Index,
        Game,
    }

    private struct Fields
    {
        public RecordType Type;
        public string? TypeName;
        public DateTime? Ts;
        public string? Ticker;
        public string? Src;
        public bool HasIndexKeys;
        public decimal? Brti;
        public decimal? Coinbase;
        public decimal? Kraken;
        public decimal? Bitstamp;
        public string? TradeId;
        public decimal? YesPrice;
        public decimal? NoPrice;
        public decimal? Count;
        public string? TakerSide;
        public string? TakerOutcomeSide;
        public string? TakerBookSide;
        public bool? IsBlockTrade;
        public string? Event;
        public DateTime? CloseTime;
        public string? Result;
        public decimal? ExpirationValue;
        public decimal? Strike;
        public string? Status;
        public decimal? BrtiAvg60;
        public int? BrtiSamples;
        public int? PeriodMinutes;
        public DateTime? EndPeriod;
        public Ohlc YesBidOhlc;
        public Ohlc YesAskOhlc;
        public Ohlc PriceOhlc;
        public decimal? Volume;
        public decimal? OpenInterest;
        public string? EventTicker;
        public DateTime? OpenTime;
        public DateTime? SettlementTime;
        public decimal? CapStrike;
        public decimal? YesPayout;
        public decimal? SettlementValue;
        public DateTime? DeterminedTime;
        public DateTime? SettledTime;
    }

    private struct MarketFields
    {
        public string? Ticker;
        public string? Status;
        public decimal? YesBid;
        public decimal? YesAsk;
        public decimal? NoBid;
        public decimal? NoAsk;
        public decimal? LastPrice;
        public decimal? Volume;
        public decimal? OpenInterest;
        public decimal? Strike;
        public int? SecsLeft;
        public int? AgeMs;
        public string? Src;
        public RawSlice YesBook;
        public RawSlice NoBook;
    }

    private readonly record struct RawSlice(int Start, int Length)
    {
        public string? ToText(ReadOnlySpan<byte> line) => Length > 0 ? Encoding.UTF8.GetString(line.Slice(Start, Length)) : null;
    }
}
