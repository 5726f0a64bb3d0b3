using System.Globalization;
using System.Text.Json;

namespace KxCollector.Kalshi.Markets;

/// <summary>
/// Reads GET /markets and GET /markets/{ticker} bodies with <see cref="Utf8JsonReader"/>: no reflection, unknown
/// fields skipped (Kalshi adds fields often). Since 2026-03-12 prices are "*_dollars" strings and counts "*_fp"
/// strings; the removed integer-cent fields are deliberately not read, even if an old cache still serves them.
/// </summary>
internal static class KalshiMarketParser
{
    /// <summary>{"markets":[…],"cursor":"…"}</summary>
    public static MarketsPage ParseMarketsPage(ReadOnlySpan<byte> json)
    {
        var (markets, cursor) = KalshiJson.ReadPage(json, "markets"u8, ReadMarket);
        return new MarketsPage(markets, cursor);
    }

    /// <summary>{"market":{…}}; null when the body has no market object.</summary>
    public static KalshiMarket? ParseMarketDetail(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        KalshiJson.Read(ref reader);
        KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
        KalshiMarket? market = null;
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMarket = reader.ValueTextEquals("market"u8);
            KalshiJson.Read(ref reader);
            if (isMarket && reader.TokenType == JsonTokenType.StartObject)
            {
                market = ReadMarket(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return market;
    }

    /// <summary>Reads one market object (the reader is on its StartObject); null when it has no ticker.</summary>
    private static KalshiMarket? ReadMarket(ref Utf8JsonReader reader)
    {
        KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
        string? ticker = null, eventTicker = null, status = null, result = null, expirationText = null;
        DateTimeOffset? openTime = null, closeTime = null, expectedExpiration = null, settlementTime = null;
        decimal? floorStrike = null, capStrike = null, yesBid = null, yesAsk = null, noBid = null, noAsk = null;
        decimal? lastPrice = null, volume = null, openInterest = null;

        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            KalshiJson.Read(ref reader);
            switch (name)
            {
                case "ticker": ticker = KalshiJson.StringOrNull(ref reader); break;
                case "event_ticker": eventTicker = KalshiJson.StringOrNull(ref reader); break;
                case "status": status = KalshiJson.StringOrNull(ref reader); break;
                case "open_time": openTime = Timestamp(ref reader); break;
                case "close_time": closeTime = Timestamp(ref reader); break;
                case "expected_expiration_time": expectedExpiration = Timestamp(ref reader); break;
                case "settlement_ts": settlementTime = Timestamp(ref reader); break;
                case "floor_strike": floorStrike = Number(ref reader, NumberStyles.Float); break;
                case "cap_strike": capStrike = Number(ref reader, NumberStyles.Float); break;
                case "yes_bid_dollars": yesBid = Number(ref reader, NumberStyles.Float); break;
                case "yes_ask_dollars": yesAsk = Number(ref reader, NumberStyles.Float); break;
                case "no_bid_dollars": noBid = Number(ref reader, NumberStyles.Float); break;
                case "no_ask_dollars": noAsk = Number(ref reader, NumberStyles.Float); break;
                case "last_price_dollars": lastPrice = Number(ref reader, NumberStyles.Float); break;
                case "volume_fp": volume = Number(ref reader, NumberStyles.Float); break;
                case "open_interest_fp": openInterest = Number(ref reader, NumberStyles.Float); break;
                case "result": result = KalshiJson.StringOrNull(ref reader); break;
                case "expiration_value": expirationText = KalshiJson.StringOrNumberText(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        if (string.IsNullOrEmpty(ticker))
        {
            return null;
        }

        return new KalshiMarket
        {
            Ticker = ticker,
            EventTicker = eventTicker,
            Status = status ?? string.Empty,
            OpenTime = openTime,
            CloseTime = closeTime,
            ExpectedExpirationTime = expectedExpiration,
            SettlementTime = settlementTime,
            FloorStrike = floorStrike,
            CapStrike = capStrike,
            YesBid = yesBid,
            YesAsk = yesAsk,
            NoBid = noBid,
            NoAsk = noAsk,
            LastPrice = lastPrice,
            Volume = volume,
            OpenInterest = openInterest,
            Result = result ?? string.Empty,
            ExpirationValueText = expirationText,
            ExpirationValue = ParseExpirationValue(expirationText),
        };
    }

    /// <summary>
    /// expiration_value is a string, "" until settled, and has been seen with a thousands separator ("79,604.96").
    /// Anything else unparseable is null (the settlement line then says so) rather than an exception.
    /// </summary>
    public static decimal? ParseExpirationValue(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>
    /// RFC 3339 with any number of fractional digits (Kalshi sends none, 3 or 6; 9 would overflow .NET's 7), so
    /// digits past the 7th are dropped before parsing.
    /// </summary>
    public static DateTimeOffset? ParseTimestamp(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
    }

    private static DateTimeOffset? Timestamp(ref Utf8JsonReader reader) => ParseTimestamp(KalshiJson.StringOrNull(ref reader));

    /// <summary>A fixed-point string ("0.0560") or, defensively, a JSON number; "" and null are null.</summary>
    private static decimal? Number(ref Utf8JsonReader reader, NumberStyles styles)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetDecimal(out var number) ? number : null;
            case JsonTokenType.String:
                var text = reader.GetString();
                return !string.IsNullOrWhiteSpace(text) && decimal.TryParse(text.Trim(), styles, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            default:
                reader.Skip();
                return null;
        }
    }
}
