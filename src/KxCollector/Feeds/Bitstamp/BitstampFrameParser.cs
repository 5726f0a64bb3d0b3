using System.Text.Json;

namespace KxCollector.Feeds.Bitstamp;

/// <summary>
/// Reads Bitstamp WebSocket v2 messages (docs/venues.md, "Bitstamp"): <c>data</c> on <c>order_book_btcusd</c> gives the
/// quote from the first (best) level of <c>bids</c> and <c>asks</c>, exchange time <c>microtimestamp</c>; the
/// <c>bts:*</c> events acknowledge, answer heartbeats, report errors and ask for a reconnect. Bitstamp puts
/// <c>data</c> before <c>event</c> in real frames, so the data is read provisionally and judged at the end.
/// </summary>
internal static class BitstampFrameParser
{
    public static ParsedFrame Parse(ReadOnlySpan<byte> message) => FrameJson.ParseObject(message, ParseObject);

    private static ParsedFrame ParseObject(ReadOnlySpan<byte> message, ref Utf8JsonReader reader)
    {
        var eventType = EventType.Absent;
        var channelIsBook = false;
        var channelBad = false;
        var data = default(BookData);
        data.MessageAt = -1;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("event"u8))
            {
                reader.Read();
                eventType = ReadEvent(ref reader);
            }
            else if (reader.ValueTextEquals("channel"u8))
            {
                reader.Read();
                channelBad = reader.TokenType != JsonTokenType.String;
                channelIsBook = !channelBad && reader.ValueTextEquals("order_book_btcusd"u8);
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                data = ReadData(ref reader);
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        FrameJson.EnsureEndOfMessage(ref reader);

        switch (eventType)
        {
            case EventType.Data when channelBad:
                return ParsedFrame.Malformed("channel is not a string");
            case EventType.Data when channelIsBook:
                if (data.Bad)
                {
                    return ParsedFrame.Malformed("order book without numeric levels or microtimestamp");
                }

                // A one-sided book has no mid; the CF method drops such books too, so the last quote ages out.
                return data.HasBid && data.HasAsk ? ParsedFrame.Quote(data.Bid, data.Ask, data.Time) : ParsedFrame.Ignored;
            case EventType.Heartbeat:
                return ParsedFrame.Heartbeat;
            case EventType.SubscriptionSucceeded:
                return ParsedFrame.Subscribed;
            case EventType.RequestReconnect:
                return ParsedFrame.ReconnectRequested;
            case EventType.Error:
                return ParsedFrame.Error(FrameJson.StringAt(message, data.MessageAt) ?? "bts:error");
            case EventType.NotAString:
                return ParsedFrame.Malformed("event is not a string");
            default:
                return ParsedFrame.Ignored;
        }
    }

    /// <summary>
    /// Reads the <c>data</c> object: the best level of each side, the exchange time and, for <c>bts:error</c>, where
    /// the message text is. Anything else (a string, a trade) is let through; the event decides what it was.
    /// </summary>
    private static BookData ReadData(ref Utf8JsonReader reader)
    {
        var result = default(BookData);
        result.MessageAt = -1;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            result.Bad = true;
            return result;
        }

        DateTimeOffset? seconds = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("bids"u8))
            {
                reader.Read();
                result.HasBid = ReadBestLevel(ref reader, out result.Bid, ref result.Bad);
            }
            else if (reader.ValueTextEquals("asks"u8))
            {
                reader.Read();
                result.HasAsk = ReadBestLevel(ref reader, out result.Ask, ref result.Bad);
            }
            else if (reader.ValueTextEquals("microtimestamp"u8))
            {
                reader.Read();
                if (FrameJson.TryGetUnixMicroseconds(ref reader, out var time))
                {
                    result.Time = time;
                }
                else
                {
                    result.Bad = true;
                }
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                seconds = FrameJson.TryGetUnixSeconds(ref reader, out var time) ? time : null;
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                result.MessageAt = reader.TokenType == JsonTokenType.String ? reader.TokenStartIndex : -1;
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        // microtimestamp is the precise one; whole seconds only stand in when it is missing.
        result.Time ??= seconds;
        return result;
    }

    /// <summary>
    /// Reads a side (<c>[["price","amount"],…]</c>, best first) and returns its first price; leaves the reader on the
    /// side's closing bracket. An empty side returns false without being bad.
    /// </summary>
    private static bool ReadBestLevel(ref Utf8JsonReader reader, out decimal price, ref bool bad)
    {
        price = 0m;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            bad = true;
            return false;
        }

        var found = false;
        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!first)
            {
                // The deeper levels are not needed, but must still be valid JSON: Skip reads through them.
                reader.Skip();
                continue;
            }

            first = false;
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                bad = true;
                reader.Skip();
                continue;
            }

            if (reader.Read() && reader.TokenType != JsonTokenType.EndArray && FrameJson.TryGetDecimal(ref reader, out price))
            {
                found = true;
            }
            else
            {
                bad = true;
            }

            if (reader.TokenType == JsonTokenType.EndArray)
            {
                continue;
            }

            reader.Skip();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
            }
        }

        return found;
    }

    private static EventType ReadEvent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return EventType.NotAString;
        }

        if (reader.ValueTextEquals("data"u8))
        {
            return EventType.Data;
        }

        if (reader.ValueTextEquals("bts:heartbeat"u8))
        {
            return EventType.Heartbeat;
        }

        if (reader.ValueTextEquals("bts:subscription_succeeded"u8))
        {
            return EventType.SubscriptionSucceeded;
        }

        if (reader.ValueTextEquals("bts:request_reconnect"u8))
        {
            return EventType.RequestReconnect;
        }

        return reader.ValueTextEquals("bts:error"u8) ? EventType.Error : EventType.Other;
    }

    private struct BookData
    {
        public bool HasBid;
        public bool HasAsk;
        public bool Bad;
        public decimal Bid;
        public decimal Ask;
        public DateTimeOffset? Time;
        public long MessageAt;
    }

    private enum EventType
    {
        Absent,
        Other,
        NotAString,
        Data,
        Heartbeat,
        SubscriptionSucceeded,
        RequestReconnect,
        Error,
    }
}
