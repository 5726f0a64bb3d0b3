using System.Text.Json;
using KxCollector.Kalshi.Stream;
using KxCollector.Pricing;

namespace KxCollector.Kalshi.Markets;

/// <summary>
/// One market as a tick writes it. Built once per poll (cents conversion included), so the tick only adds the two
/// time-dependent fields: secs_left and age_ms. Immutable, shared by every tick until the next poll replaces it.
/// <para>When the stream has a current quote for the market, the quote fields, age_ms and <c>src:"ws"</c> come from
/// it; otherwise from the poll with <c>src:"rest"</c>. Status, strike and secs_left always come from the poll. With a
/// book depth, <c>yes_book</c>/<c>no_book</c> follow (null unless the stream holds a valid book).</para>
/// </summary>
internal sealed class TickMarketEntry
{
    private static readonly JsonEncodedText TickerName = JsonEncodedText.Encode("ticker");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText YesBidName = JsonEncodedText.Encode("yes_bid");
    private static readonly JsonEncodedText YesAskName = JsonEncodedText.Encode("yes_ask");
    private static readonly JsonEncodedText NoBidName = JsonEncodedText.Encode("no_bid");
    private static readonly JsonEncodedText NoAskName = JsonEncodedText.Encode("no_ask");
    private static readonly JsonEncodedText LastPriceName = JsonEncodedText.Encode("last_price");
    private static readonly JsonEncodedText VolumeName = JsonEncodedText.Encode("volume");
    private static readonly JsonEncodedText OpenInterestName = JsonEncodedText.Encode("open_interest");
    private static readonly JsonEncodedText StrikeName = JsonEncodedText.Encode("strike");
    private static readonly JsonEncodedText SecsLeftName = JsonEncodedText.Encode("secs_left");
    private static readonly JsonEncodedText AgeMsName = JsonEncodedText.Encode("age_ms");
    private static readonly JsonEncodedText SrcName = JsonEncodedText.Encode("src");
    private static readonly JsonEncodedText WsSrc = JsonEncodedText.Encode("ws");
    private static readonly JsonEncodedText RestSrc = JsonEncodedText.Encode("rest");
    private static readonly JsonEncodedText YesBookName = JsonEncodedText.Encode("yes_book");
    private static readonly JsonEncodedText NoBookName = JsonEncodedText.Encode("no_book");

    private readonly JsonEncodedText _ticker;
    private readonly JsonEncodedText _status;

    public TickMarketEntry(KalshiMarket market, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(market);
        Ticker = market.Ticker;
        _ticker = JsonEncodedText.Encode(market.Ticker);
        _status = JsonEncodedText.Encode(market.Status);
        YesBid = Cents(market.YesBid);
        YesAsk = Cents(market.YesAsk);
        NoBid = Cents(market.NoBid);
        NoAsk = Cents(market.NoAsk);
        LastPrice = Cents(market.LastPrice);
        Volume = Normalize(market.Volume);
        OpenInterest = Normalize(market.OpenInterest);
        Strike = Normalize(market.FloorStrike);
        CloseTime = market.CloseTime;
        ReceivedAt = receivedAt;
    }

    public string Ticker { get; }

    public decimal? YesBid { get; }

    public decimal? YesAsk { get; }

    public decimal? NoBid { get; }

    public decimal? NoAsk { get; }

    public decimal? LastPrice { get; }

    public decimal? Volume { get; }

    public decimal? OpenInterest { get; }

    public decimal? Strike { get; }

    public DateTimeOffset? CloseTime { get; }

    /// <summary>When the response carrying this market's data arrived.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Dollars to cents, exact: "0.0560" is 5.6, never 5.6000000001 and never rounded to whole cents.</summary>
    public static decimal? Cents(decimal? dollars) => dollars is { } d ? DecimalMath.Normalize(d * 100m) : null;

    /// <summary>
    /// Whole seconds until trading stops, rounded up, so it is above 0 exactly while the market can still trade:
    /// a tick at 12:14:59.001 says 1, at 12:15:00.001 (close 12:15:00) says 0. Never negative.
    /// </summary>
    public static long? SecondsLeft(DateTimeOffset? closeTime, DateTimeOffset now)
    {
        if (closeTime is not { } close)
        {
            return null;
        }

        var ticks = (close - now).Ticks;
        return ticks <= 0 ? 0 : (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
    }

    /// <summary>Writes the entry from the poll alone (src "rest"), without books.</summary>
    public void Write(Utf8JsonWriter writer, DateTimeOffset now) => Write(writer, now, stream: null, bookDepth: 0);

    /// <param name="stream">The stream's state of this market, or null when the stream has none.</param>
    /// <param name="bookDepth">Levels per side to write; 0 writes no book keys at all.</param>
    public void Write(Utf8JsonWriter writer, DateTimeOffset now, StreamMarket? stream, int bookDepth)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var quote = stream?.Quote;
        writer.WriteStartObject();
        writer.WriteString(TickerName, _ticker);
        writer.WriteString(StatusName, _status);
        if (quote is not null)
        {
            WriteNumber(writer, YesBidName, quote.YesBid);
            WriteNumber(writer, YesAskName, quote.YesAsk);
            WriteNumber(writer, NoBidName, quote.NoBid);
            WriteNumber(writer, NoAskName, quote.NoAsk);
            WriteNumber(writer, LastPriceName, quote.LastPrice);
            WriteNumber(writer, VolumeName, quote.Volume);
            WriteNumber(writer, OpenInterestName, quote.OpenInterest);
        }
        else
        {
            WriteNumber(writer, YesBidName, YesBid);
            WriteNumber(writer, YesAskName, YesAsk);
            WriteNumber(writer, NoBidName, NoBid);
            WriteNumber(writer, NoAskName, NoAsk);
            WriteNumber(writer, LastPriceName, LastPrice);
            WriteNumber(writer, VolumeName, Volume);
            WriteNumber(writer, OpenInterestName, OpenInterest);
        }

        WriteNumber(writer, StrikeName, Strike);
        if (SecondsLeft(CloseTime, now) is { } left)
        {
            writer.WriteNumber(SecsLeftName, left);
        }
        else
        {
            writer.WriteNull(SecsLeftName);
        }

        var receivedAt = quote?.ReceivedAt ?? ReceivedAt;
        writer.WriteNumber(AgeMsName, Math.Max(0L, (long)(now - receivedAt).TotalMilliseconds));
        writer.WriteString(SrcName, quote is null ? RestSrc : WsSrc);
        if (bookDepth > 0)
        {
            if (stream is not null)
            {
                stream.Book.WriteTop(writer, bookDepth, YesBookName, NoBookName);
            }
            else
            {
                OrderBook.WriteInvalid(writer, YesBookName, NoBookName);
            }
        }

        writer.WriteEndObject();
    }

    private static decimal? Normalize(decimal? value) => value is { } v ? DecimalMath.Normalize(v) : null;

    private static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, decimal? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
