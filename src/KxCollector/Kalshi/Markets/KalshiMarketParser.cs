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
    // Kalshi's market statuses (GET /markets and the lifecycle's) and results: every poll reads one of each per market.
    private static readonly KnownWords Statuses = new("active", "open", "closed", "settled", "finalized", "determined", "initialized", "inactive", "unopened", "paused", "disputed", "amended");
    private static readonly KnownWords Results = new("yes", "no", "");

    // Longer than any field name or timestamp Kalshi sends; a longer one is unknown (skipped) or not a timestamp.
    private const int MaxTextChars = 64;

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

        // Names compared as the body's bytes, not decoded: a market has ~50 fields and the poll reads every one.
        Span<byte> unescapedName = stackalloc byte[MaxTextChars];
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            scoped ReadOnlySpan<byte> name = reader.ValueSpan;
            if (reader.ValueIsEscaped)
            {
                name = name.Length <= MaxTextChars ? unescapedName[..reader.CopyString(unescapedName)] : [];
            }

            KalshiJson.Read(ref reader);
            switch (name)
            {
                case var n when n.SequenceEqual("ticker"u8): ticker = KalshiJson.StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("event_ticker"u8): eventTicker = KalshiJson.StringOrNull(ref reader); break;
                case var n when n.SequenceEqual("status"u8): status = Statuses.Read(ref reader); break;
                case var n when n.SequenceEqual("open_time"u8): openTime = Timestamp(ref reader); break;
                case var n when n.SequenceEqual("close_time"u8): closeTime = Timestamp(ref reader); break;
                case var n when n.SequenceEqual("expected_expiration_time"u8): expectedExpiration = Timestamp(ref reader); break;
                case var n when n.SequenceEqual("settlement_ts"u8): settlementTime = Timestamp(ref reader); break;
                case var n when n.SequenceEqual("floor_strike"u8): floorStrike = Number(ref reader); break;
                case var n when n.SequenceEqual("cap_strike"u8): capStrike = Number(ref reader); break;
                case var n when n.SequenceEqual("yes_bid_dollars"u8): yesBid = Number(ref reader); break;
                case var n when n.SequenceEqual("yes_ask_dollars"u8): yesAsk = Number(ref reader); break;
                case var n when n.SequenceEqual("no_bid_dollars"u8): noBid = Number(ref reader); break;
                case var n when n.SequenceEqual("no_ask_dollars"u8): noAsk = Number(ref reader); break;
                case var n when n.SequenceEqual("last_price_dollars"u8): lastPrice = Number(ref reader); break;
                case var n when n.SequenceEqual("volume_fp"u8): volume = Number(ref reader); break;
                case var n when n.SequenceEqual("open_interest_fp"u8): openInterest = Number(ref reader); break;
                case var n when n.SequenceEqual("result"u8): result = Results.Read(ref reader); break;
                case var n when n.SequenceEqual("expiration_value"u8): expirationText = ExpirationText(ref reader); break;
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
    public static DateTimeOffset? ParseTimestamp(string? text) => text is null ? null : ParseTimestamp(text.AsSpan());

    /// <inheritdoc cref="ParseTimestamp(string?)"/>
    public static DateTimeOffset? ParseTimestamp(ReadOnlySpan<char> text)
    {
        if (text.IsWhiteSpace())
        {
            return null;
        }

        Span<char> trimmed = stackalloc char[MaxTextChars];
        scoped var value = text;
        var dot = text.IndexOf('.');
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                var kept = dot + 8;
                var rest = text[end..];
                if (kept + rest.Length > trimmed.Length)
                {
                    return null;
                }

                text[..kept].CopyTo(trimmed);
                rest.CopyTo(trimmed[kept..]);
                value = trimmed[..(kept + rest.Length)];
            }
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
    }

    /// <summary>A timestamp string decoded on the stack; null, "" and anything unparseable are null.</summary>
    private static DateTimeOffset? Timestamp(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        // UTF-8 never has fewer bytes than the UTF-16 chars it decodes to, escaped or not.
        var bytes = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (bytes > MaxTextChars)
        {
            return ParseTimestamp(reader.GetString());
        }

        Span<char> text = stackalloc char[MaxTextChars];
        return ParseTimestamp(text[..reader.CopyString(text)]);
    }

    /// <summary>expiration_value as text: "" (unsettled, every poll until then) costs nothing.</summary>
    private static string? ExpirationText(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.ValueSpan.IsEmpty ? string.Empty : KalshiJson.StringOrNumberText(ref reader);

    /// <summary>A fixed-point string ("0.0560") or, defensively, a JSON number; "", blanks and null are null.</summary>
    private static decimal? Number(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetDecimal(out var number) ? number : null;
            case JsonTokenType.String when !reader.ValueIsEscaped && !reader.HasValueSequence:
                // NumberStyles.Float allows the blanks around the number that the old string path trimmed.
                return decimal.TryParse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            case JsonTokenType.String:
                var text = reader.GetString();
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var unescaped) ? unescaped : null;
            default:
                reader.Skip();
                return null;
        }
    }
}
