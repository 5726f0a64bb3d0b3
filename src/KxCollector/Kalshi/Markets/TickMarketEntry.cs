using System.Text.Json;
using KxCollector.Kalshi.Stream;
using KxCollector.Records;

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
    public static decimal? Cents(decimal? dollars) => RecordJson.Cents(dollars);

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
        var values = quote is null
            ? new TickQuote(YesBid, YesAsk, NoBid, NoAsk, LastPrice, Volume, OpenInterest)
            : new TickQuote(quote.YesBid, quote.YesAsk, quote.NoBid, quote.NoAsk, quote.LastPrice, quote.Volume, quote.OpenInterest);
        var receivedAt = quote?.ReceivedAt ?? ReceivedAt;
        TickMarketRecord.WriteStart(
            writer, _ticker, _status, values, Strike, SecondsLeft(CloseTime, now), Math.Max(0L, (long)(now - receivedAt).TotalMilliseconds), quote is not null);
        if (bookDepth > 0)
        {
            if (stream is not null)
            {
                stream.Book.WriteTop(writer, bookDepth, TickMarketRecord.YesBookKey, TickMarketRecord.NoBookKey);
            }
            else
            {
                TickMarketRecord.WriteNoBooks(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static decimal? Normalize(decimal? value) => RecordJson.Normalize(value);
}
