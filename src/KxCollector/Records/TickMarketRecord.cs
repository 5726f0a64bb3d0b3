using System.Text.Json;

namespace KxCollector.Records;

/// <summary>A market's quote in cents and its counts in contracts, as a tick entry writes it.</summary>
internal readonly record struct TickQuote(
    decimal? YesBid, decimal? YesAsk, decimal? NoBid, decimal? NoAsk, decimal? LastPrice, decimal? Volume, decimal? OpenInterest);

/// <summary>One level of a book side in a tick entry: <c>[price_cents, size]</c>.</summary>
internal readonly record struct TickBookLevel(decimal PriceCents, decimal Size);

/// <summary>
/// One element of a tick's <c>markets</c> array. The quote keys, <c>age_ms</c> and <c>src:"ws"</c> come from the stream
/// when it has a current quote, otherwise from the poll with <c>src:"rest"</c>; with a book depth, <c>yes_book</c> and
/// <c>no_book</c> follow (best bid first; null unless the stream holds a valid book). A side is null in
/// <see cref="YesBook"/>/<see cref="NoBook"/> when written null; <see cref="HasBooks"/> says whether the keys are there.
/// </summary>
internal sealed record TickMarketRecord(
    string Ticker,
    string Status,
    TickQuote Quote,
    decimal? Strike,
    long? SecsLeft,
    long AgeMs,
    string Src,
    bool HasBooks = false,
    IReadOnlyList<TickBookLevel>? YesBook = null,
    IReadOnlyList<TickBookLevel>? NoBook = null)
{
    public const string StatusKey = "status";
    public const string YesBidKey = "yes_bid";
    public const string YesAskKey = "yes_ask";
    public const string NoBidKey = "no_bid";
    public const string NoAskKey = "no_ask";
    public const string LastPriceKey = "last_price";
    public const string VolumeKey = "volume";
    public const string OpenInterestKey = "open_interest";
    public const string StrikeKey = "strike";
    public const string SecsLeftKey = "secs_left";
    public const string AgeMsKey = "age_ms";
    public const string YesBookName = "yes_book";
    public const string NoBookName = "no_book";
    public const string StreamSrc = "ws";
    public const string PollSrc = "rest";

    public static readonly IReadOnlyList<string> Keys =
    [
        RecordJson.Ticker, StatusKey, YesBidKey, YesAskKey, NoBidKey, NoAskKey, LastPriceKey, VolumeKey, OpenInterestKey,
        StrikeKey, SecsLeftKey, AgeMsKey, RecordJson.Src, YesBookName, NoBookName,
    ];

    public static readonly JsonEncodedText YesBookKey = JsonEncodedText.Encode(YesBookName);
    public static readonly JsonEncodedText NoBookKey = JsonEncodedText.Encode(NoBookName);

    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode(StatusKey);
    private static readonly JsonEncodedText YesBidName = JsonEncodedText.Encode(YesBidKey);
    private static readonly JsonEncodedText YesAskName = JsonEncodedText.Encode(YesAskKey);
    private static readonly JsonEncodedText NoBidName = JsonEncodedText.Encode(NoBidKey);
    private static readonly JsonEncodedText NoAskName = JsonEncodedText.Encode(NoAskKey);
    private static readonly JsonEncodedText LastPriceName = JsonEncodedText.Encode(LastPriceKey);
    private static readonly JsonEncodedText VolumeName = JsonEncodedText.Encode(VolumeKey);
    private static readonly JsonEncodedText OpenInterestName = JsonEncodedText.Encode(OpenInterestKey);
    private static readonly JsonEncodedText StrikeName = JsonEncodedText.Encode(StrikeKey);
    private static readonly JsonEncodedText SecsLeftName = JsonEncodedText.Encode(SecsLeftKey);
    private static readonly JsonEncodedText AgeMsName = JsonEncodedText.Encode(AgeMsKey);
    private static readonly JsonEncodedText StreamSrcText = JsonEncodedText.Encode(StreamSrc);
    private static readonly JsonEncodedText PollSrcText = JsonEncodedText.Encode(PollSrc);

    /// <summary>
    /// Opens the entry and writes every key up to <c>src</c>; the caller writes the books (if any: <see cref="YesBookKey"/>,
    /// <see cref="NoBookKey"/>, or <see cref="WriteNoBooks"/>) and closes the object. Pre-encoded names and values: a tick
    /// writes up to a thousand of these a second without allocating.
    /// </summary>
    public static void WriteStart(
        Utf8JsonWriter writer, JsonEncodedText ticker, JsonEncodedText status, in TickQuote quote, decimal? strike, long? secsLeft, long ageMs, bool fromStream)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString(RecordJson.TickerName, ticker);
        writer.WriteString(StatusName, status);
        RecordJson.WriteNumber(writer, YesBidName, quote.YesBid);
        RecordJson.WriteNumber(writer, YesAskName, quote.YesAsk);
        RecordJson.WriteNumber(writer, NoBidName, quote.NoBid);
        RecordJson.WriteNumber(writer, NoAskName, quote.NoAsk);
        RecordJson.WriteNumber(writer, LastPriceName, quote.LastPrice);
        RecordJson.WriteNumber(writer, VolumeName, quote.Volume);
        RecordJson.WriteNumber(writer, OpenInterestName, quote.OpenInterest);
        RecordJson.WriteNumber(writer, StrikeName, strike);
        RecordJson.WriteNumber(writer, SecsLeftName, secsLeft);

        writer.WriteNumber(AgeMsName, ageMs);
        writer.WriteString(RecordJson.SrcName, fromStream ? StreamSrcText : PollSrcText);
    }

    /// <summary>Both book keys null: no valid book for the market.</summary>
    public static void WriteNoBooks(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNull(YesBookKey);
        writer.WriteNull(NoBookKey);
    }

    public void Write(Utf8JsonWriter writer)
    {
        WriteStart(writer, JsonEncodedText.Encode(Ticker), JsonEncodedText.Encode(Status), Quote, Strike, SecsLeft, AgeMs, Src == StreamSrc);
        if (HasBooks)
        {
            WriteSide(writer, YesBookKey, YesBook);
            WriteSide(writer, NoBookKey, NoBook);
        }

        writer.WriteEndObject();
    }

    public static TickMarketRecord Read(RecordReader r) => new(
        r.RequiredString(RecordJson.Ticker),
        r.String(StatusKey) ?? string.Empty,
        new TickQuote(
            r.Number(YesBidKey), r.Number(YesAskKey), r.Number(NoBidKey), r.Number(NoAskKey), r.Number(LastPriceKey),
            r.Number(VolumeKey), r.Number(OpenInterestKey)),
        r.Number(StrikeKey),
        r.Integer(SecsLeftKey),
        r.Integer(AgeMsKey) ?? 0,
        r.String(RecordJson.Src) ?? PollSrc,
        r.Has(YesBookName) || r.Has(NoBookName),
        ReadSide(r, YesBookName),
        ReadSide(r, NoBookName));

    private static void WriteSide(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<TickBookLevel>? levels)
    {
        if (levels is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartArray(name);
        foreach (var level in levels)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(level.PriceCents);
            writer.WriteNumberValue(level.Size);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private static List<TickBookLevel>? ReadSide(RecordReader r, string key)
    {
        if (r.Element(key) is not { } side)
        {
            return null;
        }

        if (side.ValueKind != JsonValueKind.Array)
        {
            throw r.Bad(key, side, "an array of [price, size]");
        }

        var levels = new List<TickBookLevel>(side.GetArrayLength());
        foreach (var level in side.EnumerateArray())
        {
            if (level.ValueKind != JsonValueKind.Array || level.GetArrayLength() != 2)
            {
                throw r.Bad(key, level, "an array of [price, size]");
            }

            levels.Add(new TickBookLevel(r.NumberOf(level[0], key), r.NumberOf(level[1], key)));
        }

        return levels;
    }
}
