using KxCollector.Records;
using System.Globalization;
using System.Text.Json;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Markets;

namespace KxCollector.Kalshi.History;

/// <summary>
/// Reads the trades, candlesticks and cutoff bodies with <see cref="Utf8JsonReader"/>, unknown fields skipped.
/// Prices and counts are the fixed-point strings. The live endpoints suffix them ("open_dollars", "volume_fp"),
/// the historical ones do not ("open", "volume"); both are read. A bare JSON number under an unsuffixed name is
/// the removed integer-cent field of old responses and is deliberately ignored: reading it as dollars would be off
/// by a factor of 100.
/// </summary>
internal static class KalshiHistoryParser
{
    /// <summary>{"trades":[…],"cursor":"…"}</summary>
    public static TradesPage ParseTradesPage(ReadOnlySpan<byte> json)
    {
        var (trades, cursor) = KalshiJson.ReadPage(json, "trades"u8, ReadTrade);
        return new TradesPage(trades, cursor);
    }

    /// <summary>{"ticker":…,"candlesticks":[…]} (live or historical names). The cursor, if a future API adds one.</summary>
    public static (IReadOnlyList<KalshiCandle> Candles, string? Cursor) ParseCandles(ReadOnlySpan<byte> json) =>
        KalshiJson.ReadPage(json, "candlesticks"u8, ReadCandle);

    /// <summary>{"market_settled_ts":"…","trades_created_ts":"…",…}; RFC 3339 strings (unix seconds tolerated).</summary>
    public static HistoricalCutoff ParseCutoff(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        KalshiJson.Read(ref reader);
        KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
        DateTimeOffset? markets = null, trades = null;
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMarkets = reader.ValueTextEquals("market_settled_ts"u8);
            var isTrades = reader.ValueTextEquals("trades_created_ts"u8);
            KalshiJson.Read(ref reader);
            if (isMarkets)
            {
                markets = Instant(ref reader);
            }
            else if (isTrades)
            {
                trades = Instant(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        if (markets is null || trades is null)
        {
            throw new JsonException("the cutoff has no market_settled_ts or trades_created_ts");
        }

        return new HistoricalCutoff(markets.Value, trades.Value);
    }

    private static KalshiTrade? ReadTrade(ref Utf8JsonReader reader)
    {
        KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
        string? id = null, ticker = null, side = null, outcomeSide = null, bookSide = null;
        bool? block = null;
        DateTimeOffset? created = null;
        decimal? yes = null, no = null, count = null;
        decimal? yesPlain = null, noPlain = null, countPlain = null;
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            KalshiJson.Read(ref reader);
            switch (name)
            {
                case "trade_id": id = KalshiJson.StringOrNull(ref reader); break;
                case "ticker": ticker = KalshiJson.StringOrNull(ref reader); break;
                case "market_ticker": ticker ??= KalshiJson.StringOrNull(ref reader); break;
                case "taker_side": side = KalshiJson.StringOrNull(ref reader); break;
                case "taker_outcome_side": outcomeSide = KalshiJson.StringOrNull(ref reader); break;
                case "taker_book_side": bookSide = KalshiJson.StringOrNull(ref reader); break;
                case "is_block_trade": block = reader.TokenType switch { JsonTokenType.True => true, JsonTokenType.False => false, _ => null }; reader.Skip(); break;
                case "created_time": created = KalshiMarketParser.ParseTimestamp(KalshiJson.StringOrNull(ref reader)); break;
                case "yes_price_dollars": yes = Number(ref reader); break;
                case "no_price_dollars": no = Number(ref reader); break;
                case "count_fp": count = Number(ref reader); break;
                case "yes_price": yesPlain = StringNumber(ref reader); break;
                case "no_price": noPlain = StringNumber(ref reader); break;
                case "count": countPlain = StringNumber(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(ticker) || created is null)
        {
            return null;
        }

        return new KalshiTrade
        {
            TradeId = id,
            Ticker = ticker,
            CreatedTime = created.Value,
            YesPrice = yes ?? yesPlain,
            NoPrice = no ?? noPlain,
            Count = count ?? countPlain,
            TakerSide = side,
            TakerOutcomeSide = outcomeSide,
            TakerBookSide = bookSide,
            IsBlockTrade = block,
        };
    }

    private static KalshiCandle? ReadCandle(ref Utf8JsonReader reader)
    {
        KalshiJson.Expect(ref reader, JsonTokenType.StartObject);
        DateTimeOffset? end = null;
        var yesBid = Ohlc.Empty;
        var yesAsk = Ohlc.Empty;
        var price = Ohlc.Empty;
        decimal? mean = null, previous = null, volume = null, openInterest = null;
        decimal? volumePlain = null, openInterestPlain = null;
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            KalshiJson.Read(ref reader);
            switch (name)
            {
                case "end_period_ts":
                    end = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds)
                        ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                        : KalshiMarketParser.ParseTimestamp(KalshiJson.StringOrNull(ref reader));
                    break;
                case "yes_bid": yesBid = ReadOhlc(ref reader, out _, out _); break;
                case "yes_ask": yesAsk = ReadOhlc(ref reader, out _, out _); break;
                case "price": price = ReadOhlc(ref reader, out mean, out previous); break;
                case "volume_fp": volume = Number(ref reader); break;
                case "open_interest_fp": openInterest = Number(ref reader); break;
                case "volume": volumePlain = StringNumber(ref reader); break;
                case "open_interest": openInterestPlain = StringNumber(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        return end is null
            ? null
            : new KalshiCandle
            {
                End = end.Value,
                YesBid = yesBid,
                YesAsk = yesAsk,
                Price = price,
                PriceMean = mean,
                PricePrevious = previous,
                Volume = volume ?? volumePlain,
                OpenInterest = openInterest ?? openInterestPlain,
            };
    }

    /// <summary>{"open_dollars":…,…} or {"open":…,…}; null or a missing object is all nulls.</summary>
    private static Ohlc ReadOhlc(ref Utf8JsonReader reader, out decimal? mean, out decimal? previous)
    {
        mean = null;
        previous = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return Ohlc.Empty;
        }

        decimal? open = null, low = null, high = null, close = null;
        while (KalshiJson.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            KalshiJson.Read(ref reader);
            var suffixed = name is not null && name.EndsWith("_dollars", StringComparison.Ordinal);
            var value = suffixed ? Number(ref reader) : StringNumber(ref reader);
            switch (suffixed ? name![..^"_dollars".Length] : name)
            {
                case "open": open ??= value; break;
                case "low": low ??= value; break;
                case "high": high ??= value; break;
                case "close": close ??= value; break;
                case "mean": mean ??= value; break;
                case "previous": previous ??= value; break;
                default: break;
            }
        }

        return new Ohlc(open, low, high, close);
    }

    private static DateTimeOffset? Instant(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => KalshiMarketParser.ParseTimestamp(reader.GetString()),
        JsonTokenType.Number when reader.TryGetInt64(out var seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds),
        _ => null,
    };

    /// <summary>A fixed-point string or, defensively, a JSON number (under a suffixed name, so not legacy cents).</summary>
    private static decimal? Number(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetDecimal(out var number) ? number : null;
            case JsonTokenType.String:
                return StringNumber(ref reader);
            default:
                reader.Skip();
                return null;
        }
    }

    /// <summary>Only a string counts: under an unsuffixed name a bare number is the legacy integer-cent field.</summary>
    private static decimal? StringNumber(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        var text = reader.GetString();
        return !string.IsNullOrWhiteSpace(text) && decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
