using System.Text.Json;

namespace KxCollector.Feeds.Coinbase;

/// <summary>
/// Reads Coinbase Exchange feed messages (docs/venues.md, "Coinbase"): <c>ticker</c> gives the quote
/// (<c>best_bid</c>/<c>best_ask</c>, exchange time <c>time</c>), <c>heartbeat</c> proves the link, <c>subscriptions</c>
/// acknowledges, <c>error</c> reports. Keys may come in any order, so the message is read whole before it is judged.
/// </summary>
internal static class CoinbaseFrameParser
{
    public static ParsedFrame Parse(ReadOnlySpan<byte> message) => FrameJson.ParseObject(message, ParseObject);

    private static ParsedFrame ParseObject(ReadOnlySpan<byte> message, ref Utf8JsonReader reader)
    {
        var type = MessageType.Absent;
        var productOk = true;
        var productBad = false;
        decimal? bid = null;
        decimal? ask = null;
        var pricesBad = false;
        DateTimeOffset? time = null;
        var timeBad = false;
        long messageAt = -1;
        long reasonAt = -1;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = ReadType(ref reader);
            }
            else if (reader.ValueTextEquals("best_bid"u8))
            {
                reader.Read();
                bid = FrameJson.TryGetDecimal(ref reader, out var value) ? value : null;
                pricesBad |= bid is null;
            }
            else if (reader.ValueTextEquals("best_ask"u8))
            {
                reader.Read();
                ask = FrameJson.TryGetDecimal(ref reader, out var value) ? value : null;
                pricesBad |= ask is null;
            }
            else if (reader.ValueTextEquals("time"u8))
            {
                reader.Read();
                time = FrameJson.TryGetIsoTimestamp(ref reader, out var value) ? value : null;
                timeBad = time is null;
            }
            else if (reader.ValueTextEquals("product_id"u8))
            {
                reader.Read();
                productBad = reader.TokenType != JsonTokenType.String;
                productOk = !productBad && reader.ValueTextEquals("BTC-USD"u8);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                messageAt = reader.TokenType == JsonTokenType.String ? reader.TokenStartIndex : -1;
            }
            else if (reader.ValueTextEquals("reason"u8))
            {
                reader.Read();
                reasonAt = reader.TokenType == JsonTokenType.String ? reader.TokenStartIndex : -1;
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        FrameJson.EnsureEndOfMessage(ref reader);

        switch (type)
        {
            case MessageType.Ticker:
                if (productBad)
                {
                    return ParsedFrame.Malformed("ticker with a non-string product_id");
                }

                if (!productOk)
                {
                    return ParsedFrame.Ignored;
                }

                if (pricesBad || bid is null || ask is null)
                {
                    return ParsedFrame.Malformed("ticker without a numeric best_bid and best_ask");
                }

                if (timeBad)
                {
                    return ParsedFrame.Malformed("ticker with an unreadable time");
                }

                return ParsedFrame.Quote(bid.Value, ask.Value, time);
            case MessageType.Heartbeat:
                return ParsedFrame.Heartbeat;
            case MessageType.Subscriptions:
                return ParsedFrame.Subscribed;
            case MessageType.Error:
                return ParsedFrame.Error(ErrorText(message, messageAt, reasonAt));
            case MessageType.NotAString:
                return ParsedFrame.Malformed("type is not a string");
            default:
                return ParsedFrame.Ignored;
        }
    }

    private static MessageType ReadType(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return MessageType.NotAString;
        }

        if (reader.ValueTextEquals("ticker"u8))
        {
            return MessageType.Ticker;
        }

        if (reader.ValueTextEquals("heartbeat"u8))
        {
            return MessageType.Heartbeat;
        }

        if (reader.ValueTextEquals("subscriptions"u8))
        {
            return MessageType.Subscriptions;
        }

        return reader.ValueTextEquals("error"u8) ? MessageType.Error : MessageType.Other;
    }

    private static string ErrorText(ReadOnlySpan<byte> message, long messageAt, long reasonAt)
    {
        var text = FrameJson.StringAt(message, messageAt) ?? "error";
        var reason = FrameJson.StringAt(message, reasonAt);
        return string.IsNullOrEmpty(reason) ? text : $"{text}: {reason}";
    }

    private enum MessageType
    {
        Absent,
        Other,
        NotAString,
        Ticker,
        Heartbeat,
        Subscriptions,
        Error,
    }
}
