// A frozen copy of the Kalshi frame parser as it was before the typed frames (main at 207f675), kept only so the
// benchmark can report the new parser's figures against the old one's in the same run. Not used by the collector.
using System.Globalization;
using System.Text.Json;

using KxCollector.Kalshi;
using KxCollector.Kalshi.Stream;

namespace KxCollector.Benchmarks.Baseline;

/// <summary>
/// Reads Kalshi WebSocket v2 frames with <see cref="Utf8JsonReader"/> over the received bytes. Unknown fields and
/// unknown message types are skipped (Kalshi adds both); a frame that is not JSON, or lacks what its type needs
/// (a delta without a price, say), is malformed: <see cref="TryParse"/> returns false and the caller counts it.
/// </summary>
internal static class OldKalshiFrameParser
{
    public static bool TryParse(ReadOnlySpan<byte> json, out OldKalshiFrame frame, out string? error)
    {
        frame = new OldKalshiFrame();
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

    private static void Parse(ReadOnlySpan<byte> json, OldKalshiFrame frame)
    {
        var reader = new Utf8JsonReader(json);
        KalshiJson.Read(ref reader, "frame");
        KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
        while (KalshiJson.Read(ref reader, "frame") && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                KalshiJson.Read(ref reader, "frame");
                frame.TypeText = KalshiJson.StringOrNull(ref reader);
                frame.Type = TypeOf(frame.TypeText);
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
                KalshiJson.Read(ref reader, "frame");
                reader.Skip();
            }
        }

        KalshiJson.Expect(ref reader, JsonTokenType.EndObject);
    }

    private static void ReadMsg(ref Utf8JsonReader reader, OldKalshiFrame frame)
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
                case var n when n.SequenceEqual("market_ticker"u8): frame.MarketTicker = KalshiJson.StringOrNull(ref reader); break;
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
                case var n when n.SequenceEqual("side"u8): frame.Side = KalshiJson.StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("trade_id"u8): frame.TradeId = KalshiJson.StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("yes_price_dollars"u8): frame.YesPriceDollars = Decimal(ref reader); break;
                case var n when n.SequenceEqual("no_price_dollars"u8): frame.NoPriceDollars = Decimal(ref reader); break;
                case var n when n.SequenceEqual("count_fp"u8): frame.Count = Decimal(ref reader); break;
                case var n when n.SequenceEqual("taker_side"u8): frame.TakerSide = KalshiJson.StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("taker_outcome_side"u8): frame.TakerOutcomeSide = KalshiJson.StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("taker_book_side"u8): frame.TakerBookSide = KalshiJson.StringOrNull(ref reader); break;
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

    /// <summary>What a frame of its type cannot do without; null when it has it.</summary>
    private static string? Validate(OldKalshiFrame frame) => frame.Type switch
    {
        OldKalshiFrameType.Ticker when frame.MarketTicker is null => "ticker without market_ticker",
        OldKalshiFrameType.OrderbookSnapshot when frame.MarketTicker is null || frame.Sid is null || frame.Seq is null =>
            "orderbook_snapshot without market_ticker, sid or seq",
        OldKalshiFrameType.OrderbookDelta when frame.MarketTicker is null || frame.Sid is null || frame.Seq is null ||
                                            frame.PriceDollars is null || frame.Delta is null || frame.Side is not ("yes" or "no") =>
            "orderbook_delta without market_ticker, sid, seq, price_dollars, delta_fp or a yes/no side",
        OldKalshiFrameType.Trade when frame.MarketTicker is null || frame.TradeId is null => "trade without market_ticker or trade_id",
        OldKalshiFrameType.Lifecycle when frame.MarketTicker is null || frame.EventType is null => "market_lifecycle_v2 without market_ticker or event_type",
        OldKalshiFrameType.Subscribed when frame.Sid is null => "subscribed without sid",
        _ => null,
    };

    private static OldKalshiFrameType TypeOf(string? type) => type switch
    {
        "subscribed" => OldKalshiFrameType.Subscribed,
        "unsubscribed" => OldKalshiFrameType.Unsubscribed,
        "ok" => OldKalshiFrameType.Ok,
        "error" => OldKalshiFrameType.Error,
        "ticker" or "ticker_v2" => OldKalshiFrameType.Ticker,
        "orderbook_snapshot" => OldKalshiFrameType.OrderbookSnapshot,
        "orderbook_delta" => OldKalshiFrameType.OrderbookDelta,
        "trade" => OldKalshiFrameType.Trade,
        "market_lifecycle_v2" => OldKalshiFrameType.Lifecycle,
        _ => OldKalshiFrameType.Unknown,
    };

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
}
