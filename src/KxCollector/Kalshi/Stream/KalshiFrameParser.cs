using System.Globalization;
using System.Text.Json;

namespace KxCollector.Kalshi.Stream;

/// <summary>
/// Reads Kalshi WebSocket v2 frames with <see cref="Utf8JsonReader"/> over the received bytes. Unknown fields and
/// unknown message types are skipped (Kalshi adds both); a frame that is not JSON, or lacks what its type needs
/// (a delta without a price, say), is malformed: <see cref="TryParse"/> returns false and the caller counts it.
/// </summary>
internal static class KalshiFrameParser
{
    public static bool TryParse(ReadOnlySpan<byte> json, out KalshiFrame frame, out string? error)
    {
        frame = new KalshiFrame();
        try
        {
            Parse(json, frame);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            error = ex.Message;
            return false;
        }

        error = Validate(frame);
        return error is null;
    }

    private static void Parse(ReadOnlySpan<byte> json, KalshiFrame frame)
    {
        var reader = new Utf8JsonReader(json);
        Read(ref reader);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                Read(ref reader);
                frame.TypeText = StringOrNull(ref reader);
                frame.Type = TypeOf(frame.TypeText);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                Read(ref reader);
                frame.Id = Long(ref reader);
            }
            else if (reader.ValueTextEquals("sid"u8))
            {
                Read(ref reader);
                frame.Sid = Long(ref reader);
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                Read(ref reader);
                frame.Seq = Long(ref reader);
            }
            else if (reader.ValueTextEquals("msg"u8))
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadMsg(ref reader, frame);
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
                Read(ref reader);
                reader.Skip();
            }
        }

        Expect(ref reader, JsonTokenType.EndObject);
    }

    private static void ReadMsg(ref Utf8JsonReader reader, KalshiFrame frame)
    {
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            var escaped = reader.ValueIsEscaped;
            Read(ref reader);
            if (escaped)
            {
                reader.Skip();
                continue;
            }

            switch (name)
            {
                case var n when n.SequenceEqual("market_ticker"u8): frame.MarketTicker = StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("channel"u8): frame.Channel = StringOrNull(ref reader); break;
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
                case var n when n.SequenceEqual("side"u8): frame.Side = StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("trade_id"u8): frame.TradeId = StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("yes_price_dollars"u8): frame.YesPriceDollars = Decimal(ref reader); break;
                case var n when n.SequenceEqual("no_price_dollars"u8): frame.NoPriceDollars = Decimal(ref reader); break;
                case var n when n.SequenceEqual("count_fp"u8): frame.Count = Decimal(ref reader); break;
                case var n when n.SequenceEqual("taker_side"u8): frame.TakerSide = StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("event_type"u8): frame.EventType = StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("result"u8): frame.Result = StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("settlement_value"u8): frame.SettlementValueText = Text(ref reader); break;
                case var n when n.SequenceEqual("open_ts"u8): frame.OpenTs = Long(ref reader); break;
                case var n when n.SequenceEqual("close_ts"u8): frame.CloseTs = Long(ref reader); break;
                case var n when n.SequenceEqual("determination_ts"u8): frame.DeterminationTs = Long(ref reader); break;
                case var n when n.SequenceEqual("settled_ts"u8): frame.SettledTs = Long(ref reader); break;
                case var n when n.SequenceEqual("code"u8): frame.ErrorCode = Text(ref reader); break;
                case var n when n.SequenceEqual("msg"u8): frame.ErrorMessage = Text(ref reader); break;
                default: reader.Skip(); break;
            }
        }
    }

    /// <summary>What a frame of its type cannot do without; null when it has it.</summary>
    private static string? Validate(KalshiFrame frame) => frame.Type switch
    {
        KalshiFrameType.Ticker when frame.MarketTicker is null => "ticker without market_ticker",
        KalshiFrameType.OrderbookSnapshot when frame.MarketTicker is null || frame.Sid is null || frame.Seq is null =>
            "orderbook_snapshot without market_ticker, sid or seq",
        KalshiFrameType.OrderbookDelta when frame.MarketTicker is null || frame.Sid is null || frame.Seq is null ||
                                            frame.PriceDollars is null || frame.Delta is null || frame.Side is not ("yes" or "no") =>
            "orderbook_delta without market_ticker, sid, seq, price_dollars, delta_fp or a yes/no side",
        KalshiFrameType.Trade when frame.MarketTicker is null || frame.TradeId is null => "trade without market_ticker or trade_id",
        KalshiFrameType.Lifecycle when frame.MarketTicker is null || frame.EventType is null => "market_lifecycle_v2 without market_ticker or event_type",
        KalshiFrameType.Subscribed when frame.Sid is null => "subscribed without sid",
        _ => null,
    };

    private static KalshiFrameType TypeOf(string? type) => type switch
    {
        "subscribed" => KalshiFrameType.Subscribed,
        "unsubscribed" => KalshiFrameType.Unsubscribed,
        "ok" => KalshiFrameType.Ok,
        "error" => KalshiFrameType.Error,
        "ticker" or "ticker_v2" => KalshiFrameType.Ticker,
        "orderbook_snapshot" => KalshiFrameType.OrderbookSnapshot,
        "orderbook_delta" => KalshiFrameType.OrderbookDelta,
        "trade" => KalshiFrameType.Trade,
        "market_lifecycle_v2" => KalshiFrameType.Lifecycle,
        _ => KalshiFrameType.Unknown,
    };

    /// <summary>[["0.0800","300.00"], …]: price and size pairs, strings (or, defensively, numbers).</summary>
    private static List<BookLevel>? Levels(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray);
        var levels = new List<BookLevel>();
        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartArray);
            Read(ref reader);
            var price = Decimal(ref reader) ?? throw new JsonException("book level without a price");
            Read(ref reader);
            var size = Decimal(ref reader) ?? throw new JsonException("book level without a size");
            while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
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

    private static string? StringOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>A string's text or a number's literal text (codes and values Kalshi may send either way).</summary>
    private static string? Text(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            default:
                reader.Skip();
                return null;
        }
    }

    private static bool Read(ref Utf8JsonReader reader) =>
        reader.Read() ? true : throw new JsonException("unexpected end of the frame");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"expected {type}, found {reader.TokenType}");
        }
    }
}
