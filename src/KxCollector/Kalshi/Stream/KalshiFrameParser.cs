using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KxCollector.Kalshi.Stream;

/// <summary>
/// Reads Kalshi WebSocket v2 frames with <see cref="Utf8JsonReader"/> over the received bytes into the record of
/// their type (one allocation per frame besides its strings). Unknown fields and unknown message types are skipped
/// (Kalshi adds both); a frame that is not JSON, or lacks what its type needs (a delta without a price, say), is
/// malformed: <see cref="TryParse"/> returns false and the caller counts it.
/// </summary>
internal static class KalshiFrameParser
{
    private enum FrameType
    {
        Unknown,
        Subscribed,
        Unsubscribed,
        Ok,
        Error,
        Ticker,
        OrderbookSnapshot,
        OrderbookDelta,
        Trade,
        Lifecycle,
        IndexValue,
    }

    /// <summary>A side as the same string each time: a trade carries three of them.</summary>
    private static readonly KnownWords SideWords = new("yes", "no", "bid", "ask", "buy", "sell");

    /// <summary>Parses one frame into the record of its type; false, with the reason, when it is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, [NotNullWhen(true)] out KalshiFrame? frame, out string? error) =>
        TryParse(json, tickers: null, out frame, out error);

    /// <summary>The same, taking market tickers from <paramref name="tickers"/> (one string per ticker) when given.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, TickerNames? tickers, [NotNullWhen(true)] out KalshiFrame? frame, out string? error)
    {
        frame = null;
        var fields = new Fields { Tickers = tickers };
        try
        {
            Parse(json, ref fields);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            error = ex.Message;
            return false;
        }

        frame = Build(ref fields, out error);
        return frame is not null;
    }

    private static void Parse(ReadOnlySpan<byte> json, ref Fields frame)
    {
        var reader = new Utf8JsonReader(json);
        KalshiJson.Read(ref reader, "frame");
        KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
        while (KalshiJson.Read(ref reader, "frame") && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                KalshiJson.Read(ref reader, "frame");
                frame.Type = TypeOf(ref reader, out frame.TypeText);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                KalshiJson.Read(ref reader, "frame");
                frame.Id = Long(ref reader);
            }
            else if (reader.ValueTextEquals("sid"u8))
            {
                KalshiJson.Read(ref reader, "frame");
                frame.Sid = Long(ref reader);
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                KalshiJson.Read(ref reader, "frame");
                frame.Seq = Long(ref reader);
            }
            else if (reader.ValueTextEquals("msg"u8))
            {
                KalshiJson.Read(ref reader, "frame");
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadMsg(ref reader, ref frame);
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    frame.ErrorMessage = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                KalshiJson.Read(ref reader, "frame");
                reader.Skip();
            }
        }

        KalshiJson.Expect(ref reader, JsonTokenType.EndObject);
    }

    private static void ReadMsg(ref Utf8JsonReader reader, ref Fields frame)
    {
        while (KalshiJson.Read(ref reader, "frame") && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            var escaped = reader.ValueIsEscaped;
            KalshiJson.Read(ref reader, "frame");
            if (escaped)
            {
                reader.Skip();
                continue;
            }

            switch (name)
            {
                case var n when n.SequenceEqual("market_ticker"u8): frame.MarketTicker = Ticker(ref reader, frame.Tickers); break;
                case var n when n.SequenceEqual("channel"u8): frame.Channel = KalshiJson.StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("sid"u8): frame.Sid ??= Long(ref reader); break;
                case var n when n.SequenceEqual("price_dollars"u8): frame.PriceDollars = Decimal(ref reader); break;
                case var n when n.SequenceEqual("yes_bid_dollars"u8): frame.YesBidDollars = Decimal(ref reader); break;
                case var n when n.SequenceEqual("yes_ask_dollars"u8): frame.YesAskDollars = Decimal(ref reader); break;
                case var n when n.SequenceEqual("volume_fp"u8): frame.Volume = Decimal(ref reader); break;
                case var n when n.SequenceEqual("open_interest_fp"u8): frame.OpenInterest = Decimal(ref reader); break;
                case var n when n.SequenceEqual("ts_ms"u8): frame.TsMs = Long(ref reader); break;
                case var n when n.SequenceEqual("yes_dollars_fp"u8): frame.YesLevels = Levels(ref reader); break;
                case var n when n.SequenceEqual("no_dollars_fp"u8): frame.NoLevels = Levels(ref reader); break;
                case var n when n.SequenceEqual("delta_fp"u8): frame.Delta = Decimal(ref reader); break;
                case var n when n.SequenceEqual("side"u8): frame.Side = SideWords.Read(ref reader); break;
                case var n when n.SequenceEqual("trade_id"u8): frame.TradeId = KalshiJson.StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("yes_price_dollars"u8): frame.YesPriceDollars = Decimal(ref reader); break;
                case var n when n.SequenceEqual("no_price_dollars"u8): frame.NoPriceDollars = Decimal(ref reader); break;
                case var n when n.SequenceEqual("count_fp"u8): frame.Count = Decimal(ref reader); break;
                case var n when n.SequenceEqual("taker_side"u8): frame.TakerSide = SideWords.Read(ref reader); break;
                case var n when n.SequenceEqual("taker_outcome_side"u8): frame.TakerOutcomeSide = SideWords.Read(ref reader); break;
                case var n when n.SequenceEqual("taker_book_side"u8): frame.TakerBookSide = SideWords.Read(ref reader); break;
                case var n when n.SequenceEqual("is_block_trade"u8): frame.IsBlockTrade = Bool(ref reader); break;
                case var n when n.SequenceEqual("event_type"u8): frame.EventType = KalshiJson.StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("result"u8): frame.Result = KalshiJson.StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("settlement_value"u8): frame.SettlementValueText = KalshiJson.StringOrNumberText(ref reader); break;
                case var n when n.SequenceEqual("open_ts"u8): frame.OpenTs = Long(ref reader); break;
                case var n when n.SequenceEqual("close_ts"u8): frame.CloseTs = Long(ref reader); break;
                case var n when n.SequenceEqual("determination_ts"u8): frame.DeterminationTs = Long(ref reader); break;
                case var n when n.SequenceEqual("settled_ts"u8): frame.SettledTs = Long(ref reader); break;
                case var n when n.SequenceEqual("code"u8): frame.ErrorCode = KalshiJson.StringOrNumberText(ref reader); break;
                case var n when n.SequenceEqual("msg"u8): frame.ErrorMessage = KalshiJson.StringOrNumberText(ref reader); break;
                default: reader.Skip(); break;
            }
        }
    }

    private static string? Ticker(ref Utf8JsonReader reader, TickerNames? tickers) =>
        tickers is not null && reader.TokenType == JsonTokenType.String ? tickers.Get(ref reader) : KalshiJson.StringOrNull(ref reader);

    /// <summary>The record of the frame's type, or null with the reason when the frame lacks what its type needs.</summary>
    private static KalshiFrame? Build(ref Fields f, out string? error)
    {
        error = null;
        switch (f.Type)
        {
            case FrameType.Subscribed when f.Sid is { } sid:
                return new SubscribedFrame { Id = f.Id, Sid = sid, Channel = f.Channel };
            case FrameType.Subscribed:
                error = "subscribed without sid";
                return null;
            case FrameType.Ok:
                return new OkFrame { Id = f.Id, Sid = f.Sid, Seq = f.Seq };
            case FrameType.Unsubscribed:
                return new UnsubscribedFrame { Id = f.Id, Sid = f.Sid, Seq = f.Seq };
            case FrameType.Error:
                return new ErrorFrame { Id = f.Id, Sid = f.Sid, Code = f.ErrorCode, Message = f.ErrorMessage };
            case FrameType.Ticker when f.MarketTicker is { } ticker:
                return new TickerFrame
                {
                    MarketTicker = ticker,
                    PriceDollars = f.PriceDollars,
                    YesBidDollars = f.YesBidDollars,
                    YesAskDollars = f.YesAskDollars,
                    Volume = f.Volume,
                    OpenInterest = f.OpenInterest,
                    TsMs = f.TsMs,
                };
            case FrameType.Ticker:
                error = "ticker without market_ticker";
                return null;
            case FrameType.OrderbookSnapshot when f is { MarketTicker: { } ticker, Sid: { } sid, Seq: { } seq }:
                return new OrderbookSnapshotFrame { Id = f.Id, Sid = sid, Seq = seq, MarketTicker = ticker, YesLevels = f.YesLevels, NoLevels = f.NoLevels };
            case FrameType.OrderbookSnapshot:
                error = "orderbook_snapshot without market_ticker, sid or seq";
                return null;
            case FrameType.OrderbookDelta when f is { MarketTicker: { } ticker, Sid: { } sid, Seq: { } seq, PriceDollars: { } price, Delta: { } delta, Side: "yes" or "no" }:
                return new OrderbookDeltaFrame { Sid = sid, Seq = seq, MarketTicker = ticker, Side = f.Side, PriceDollars = price, Delta = delta, TsMs = f.TsMs };
            case FrameType.OrderbookDelta:
                error = "orderbook_delta without market_ticker, sid, seq, price_dollars, delta_fp or a yes/no side";
                return null;
            case FrameType.Trade when f is { MarketTicker: { } ticker, TradeId: { } tradeId }:
                return new TradeFrame
                {
                    Sid = f.Sid,
                    Seq = f.Seq,
                    MarketTicker = ticker,
                    TradeId = tradeId,
                    YesPriceDollars = f.YesPriceDollars,
                    NoPriceDollars = f.NoPriceDollars,
                    Count = f.Count,
                    TakerSide = f.TakerSide,
                    TakerOutcomeSide = f.TakerOutcomeSide,
                    TakerBookSide = f.TakerBookSide,
                    IsBlockTrade = f.IsBlockTrade,
                    TsMs = f.TsMs,
                };
            case FrameType.Trade:
                error = "trade without market_ticker or trade_id";
                return null;
            case FrameType.Lifecycle when f is { MarketTicker: { } ticker, EventType: { } eventType }:
                return new LifecycleFrame
                {
                    MarketTicker = ticker,
                    EventType = eventType,
                    Result = f.Result,
                    SettlementValueText = f.SettlementValueText,
                    OpenTs = f.OpenTs,
                    CloseTs = f.CloseTs,
                    DeterminationTs = f.DeterminationTs,
                    SettledTs = f.SettledTs,
                };
            case FrameType.Lifecycle:
                error = "market_lifecycle_v2 without market_ticker or event_type";
                return null;
            case FrameType.IndexValue:
                return IndexValueFrame.Instance;
            default:
                return new UnknownFrame(f.TypeText);
        }
    }

    /// <summary>The type from its UTF-8 bytes; only a type we do not know is kept as text (for logs), so known frames allocate no string for it.</summary>
    private static FrameType TypeOf(ref Utf8JsonReader reader, out string? unknownText)
    {
        unknownText = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            unknownText = KalshiJson.StringOrNull(ref reader);
            return FrameType.Unknown;
        }

        var type = reader.ValueTextEquals("orderbook_delta"u8) ? FrameType.OrderbookDelta
            : reader.ValueTextEquals("ticker"u8) || reader.ValueTextEquals("ticker_v2"u8) ? FrameType.Ticker
            : reader.ValueTextEquals("trade"u8) ? FrameType.Trade
            : reader.ValueTextEquals("orderbook_snapshot"u8) ? FrameType.OrderbookSnapshot
            : reader.ValueTextEquals("market_lifecycle_v2"u8) ? FrameType.Lifecycle
            : reader.ValueTextEquals("subscribed"u8) ? FrameType.Subscribed
            : reader.ValueTextEquals("unsubscribed"u8) ? FrameType.Unsubscribed
            : reader.ValueTextEquals("ok"u8) ? FrameType.Ok
            : reader.ValueTextEquals("error"u8) ? FrameType.Error
            : reader.ValueTextEquals("cfbenchmarks_value"u8) ? FrameType.IndexValue
            : FrameType.Unknown;
        if (type == FrameType.Unknown)
        {
            unknownText = reader.GetString();
        }

        return type;
    }

    /// <summary>[["0.0800","300.00"], …]: price and size pairs, strings (or, defensively, numbers).</summary>
    private static List<BookLevel>? Levels(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        KalshiJson.Expect(ref reader, JsonTokenType.StartArray);
        var levels = new List<BookLevel>();
        while (KalshiJson.Read(ref reader, "frame") && reader.TokenType != JsonTokenType.EndArray)
        {
            KalshiJson.Expect(ref reader, JsonTokenType.StartArray);
            KalshiJson.Read(ref reader, "frame");
            var price = Decimal(ref reader) ?? throw new JsonException("book level without a price");
            KalshiJson.Read(ref reader, "frame");
            var size = Decimal(ref reader) ?? throw new JsonException("book level without a size");
            while (KalshiJson.Read(ref reader, "frame") && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
            }

            levels.Add(new BookLevel(price, size));
        }

        return levels;
    }

    /// <summary>A fixed-point string ("0.0560") or a JSON number, parsed straight from the UTF-8 bytes; "" is null.</summary>
    private static decimal? Decimal(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.GetDecimal();
            case JsonTokenType.String:
                if (reader.ValueIsEscaped)
                {
                    var text = reader.GetString();
                    return string.IsNullOrWhiteSpace(text) ? null : decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                }

                return reader.ValueSpan.IsEmpty ? null : decimal.Parse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonTokenType.Null:
                return null;
            default:
                throw new JsonException($"expected a number, found {reader.TokenType}");
        }
    }

    /// <summary>true/false (or, defensively, "true"/"false"); anything else is null.</summary>
    private static bool? Bool(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.String:
                return bool.TryParse(reader.GetString(), out var parsed) ? parsed : null;
            default:
                reader.Skip();
                return null;
        }
    }

    /// <summary>A whole number, or a numeric string (some ids and timestamps arrive quoted).</summary>
    private static long? Long(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var value) ? value : (long)reader.GetDouble();
            case JsonTokenType.String:
                var text = reader.GetString();
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            default:
                reader.Skip();
                return null;
        }
    }

    /// <summary>
    /// The fields of any frame as they are read: JSON does not promise that <c>type</c> comes before <c>msg</c>, so
    /// <c>msg</c> is read as a union of every channel's fields and <see cref="Build"/> decides afterwards. Lives on the
    /// stack, never escapes the parser.
    /// </summary>
    private struct Fields
    {
        public TickerNames? Tickers;
        public FrameType Type;
        public string? TypeText;
        public long? Id;
        public long? Sid;
        public long? Seq;
        public string? Channel;
        public string? MarketTicker;
        public decimal? PriceDollars;
        public decimal? YesBidDollars;
        public decimal? YesAskDollars;
        public decimal? Volume;
        public decimal? OpenInterest;
        public long? TsMs;
        public List<BookLevel>? YesLevels;
        public List<BookLevel>? NoLevels;
        public decimal? Delta;
        public string? Side;
        public string? TradeId;
        public decimal? YesPriceDollars;
        public decimal? NoPriceDollars;
        public decimal? Count;
        public string? TakerSide;
        public string? TakerOutcomeSide;
        public string? TakerBookSide;
        public bool? IsBlockTrade;
        public string? EventType;
        public string? Result;
        public string? SettlementValueText;
        public long? OpenTs;
        public long? CloseTs;
        public long? DeterminationTs;
        public long? SettledTs;
        public string? ErrorCode;
        public string? ErrorMessage;
    }
}
