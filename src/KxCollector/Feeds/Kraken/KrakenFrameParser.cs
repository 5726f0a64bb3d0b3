using System.Text.Json;

namespace KxCollector.Feeds.Kraken;

/// <summary>
/// Reads Kraken WebSocket v2 messages (docs/venues.md, "Kraken"): <c>ticker</c> snapshot/update gives the quote from the
/// BTC/USD entry's <c>bid</c>/<c>ask</c> (JSON numbers; Kraken's ticker has no exchange time), <c>heartbeat</c> and
/// <c>pong</c> prove the link, method replies acknowledge or, with <c>success:false</c>, report an error.
/// Keys may come in any order (<c>data</c> before <c>channel</c>), so the data is read provisionally and judged at the end.
/// </summary>
internal static class KrakenFrameParser
{
    public static ParsedFrame Parse(ReadOnlySpan<byte> message) => FrameJson.ParseObject(message, ParseObject);

    private static ParsedFrame ParseObject(ReadOnlySpan<byte> message, ref Utf8JsonReader reader)
    {
        var channel = Channel.Absent;
        var typeIsData = true;
        var method = Method.Absent;
        bool? success = null;
        var successBad = false;
        long errorAt = -1;
        var data = default(TickerData);

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("channel"u8))
            {
                reader.Read();
                channel = ReadChannel(ref reader);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                typeIsData = reader.TokenType == JsonTokenType.String
                    && (reader.ValueTextEquals("update"u8) || reader.ValueTextEquals("snapshot"u8));
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                data = ReadTickerData(ref reader);
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                reader.Read();
                method = ReadMethod(ref reader);
            }
            else if (reader.ValueTextEquals("success"u8))
            {
                reader.Read();
                success = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => null,
                };
                successBad = success is null;
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                errorAt = reader.TokenType == JsonTokenType.String ? reader.TokenStartIndex : -1;
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        FrameJson.EnsureEndOfMessage(ref reader);

        if (successBad)
        {
            return ParsedFrame.Malformed("success is not a boolean");
        }

        if (success == false)
        {
            return ParsedFrame.Error(FrameJson.StringAt(message, errorAt) ?? "request failed");
        }

        switch (channel)
        {
            case Channel.Ticker when typeIsData:
                if (data.Bad)
                {
                    return ParsedFrame.Malformed("ticker data without a numeric bid and ask");
                }

                return data.Found ? ParsedFrame.Quote(data.Bid, data.Ask, exchangeTime: null) : ParsedFrame.Ignored;
            case Channel.Heartbeat:
                return ParsedFrame.Heartbeat;
            case Channel.NotAString:
                return ParsedFrame.Malformed("channel is not a string");
        }

        return method switch
        {
            Method.Subscribe when success == true => ParsedFrame.Subscribed,
            Method.Pong => ParsedFrame.Heartbeat,
            Method.NotAString => ParsedFrame.Malformed("method is not a string"),
            _ => ParsedFrame.Ignored,
        };
    }

    /// <summary>
    /// Reads <c>data</c> as ticker entries. Entries for other symbols are skipped; the last BTC/USD entry wins.
    /// A shape problem is only noted, not returned, because the channel that decides whether it matters may come later.
    /// </summary>
    private static TickerData ReadTickerData(ref Utf8JsonReader reader)
    {
        var result = default(TickerData);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            result.Bad = true;
            return result;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                result.Bad = true;
                reader.Skip();
                continue;
            }

            var ours = true;
            decimal? bid = null;
            decimal? ask = null;
            var bad = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("symbol"u8))
                {
                    reader.Read();
                    ours = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("BTC/USD"u8);
                }
                else if (reader.ValueTextEquals("bid"u8))
                {
                    reader.Read();
                    bid = FrameJson.TryGetDecimal(ref reader, out var value) ? value : null;
                    bad |= bid is null;
                }
                else if (reader.ValueTextEquals("ask"u8))
                {
                    reader.Read();
                    ask = FrameJson.TryGetDecimal(ref reader, out var value) ? value : null;
                    bad |= ask is null;
                }
                else
                {
                    reader.Read();
                }

                reader.Skip();
            }

            if (!ours)
            {
                continue;
            }

            if (bad || bid is null || ask is null)
            {
                result.Bad = true;
                continue;
            }

            result.Found = true;
            result.Bid = bid.Value;
            result.Ask = ask.Value;
        }

        return result;
    }

    private static Channel ReadChannel(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return Channel.NotAString;
        }

        if (reader.ValueTextEquals("ticker"u8))
        {
            return Channel.Ticker;
        }

        return reader.ValueTextEquals("heartbeat"u8) ? Channel.Heartbeat : Channel.Other;
    }

    private static Method ReadMethod(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return Method.NotAString;
        }

        if (reader.ValueTextEquals("subscribe"u8))
        {
            return Method.Subscribe;
        }

        return reader.ValueTextEquals("pong"u8) ? Method.Pong : Method.Other;
    }

    private struct TickerData
    {
        public bool Found;
        public bool Bad;
        public decimal Bid;
        public decimal Ask;
    }

    private enum Channel
    {
        Absent,
        Other,
        NotAString,
        Ticker,
        Heartbeat,
    }

    private enum Method
    {
        Absent,
        Other,
        NotAString,
        Subscribe,
        Pong,
    }
}
