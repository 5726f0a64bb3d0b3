using System.Buffers.Text;
using System.Text.Json;

namespace KxCollector.Feeds;

/// <summary>
/// Small <see cref="Utf8JsonReader"/> helpers shared by the venue parsers. All of them read from the received bytes
/// in place: no strings, no boxing, nothing allocated on the quote path.
/// </summary>
/// <summary>A venue's reader of one message, called with the reader on the message's opening brace.</summary>
internal delegate ParsedFrame FrameObjectParser(ReadOnlySpan<byte> message, ref Utf8JsonReader reader);

internal static class FrameJson
{
    /// <summary>
    /// Every venue's message is one JSON object: anything else, or JSON that does not parse, is a malformed frame
    /// (counted and skipped by the feed), never an exception out of the receive loop.
    /// </summary>
    public static ParsedFrame ParseObject(ReadOnlySpan<byte> message, FrameObjectParser parse)
    {
        try
        {
            var reader = new Utf8JsonReader(message);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject
                ? parse(message, ref reader)
                : ParsedFrame.Malformed("not a JSON object");
        }
        catch (JsonException)
        {
            return ParsedFrame.Malformed("invalid JSON");
        }
    }

    // Longer than any price or timestamp a venue sends; an escaped value that does not fit is not a number anyway.
    private const int MaxEscapedNumberBytes = 64;

    /// <summary>
    /// Reads a decimal from a JSON number or from a string holding one. Venues disagree (Kraken sends numbers, Coinbase
    /// and Bitstamp strings) and both spellings say the same thing unambiguously, so both are accepted everywhere.
    /// Any other token (null, bool, object, array, a non-numeric string) fails.
    /// </summary>
    public static bool TryGetDecimal(ref Utf8JsonReader reader, out decimal value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetDecimal(out value);
            case JsonTokenType.String:
                return TryParseDecimalText(ref reader, out value);
            default:
                value = 0m;
                return false;
        }
    }

    /// <summary>Reads a whole number of microseconds since the Unix epoch (Bitstamp's <c>microtimestamp</c>), string or number.</summary>
    public static bool TryGetUnixMicroseconds(ref Utf8JsonReader reader, out DateTimeOffset value) =>
        TryGetUnixTime(ref reader, TimeSpan.TicksPerMicrosecond, out value);

    /// <summary>Reads a whole number of seconds since the Unix epoch (Bitstamp's <c>timestamp</c>), string or number.</summary>
    public static bool TryGetUnixSeconds(ref Utf8JsonReader reader, out DateTimeOffset value) =>
        TryGetUnixTime(ref reader, TimeSpan.TicksPerSecond, out value);

    /// <summary>Reads an ISO-8601 timestamp string (Coinbase's <c>time</c>, any number of fractional digits).</summary>
    public static bool TryGetIsoTimestamp(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out value))
        {
            value = value.ToUniversalTime();
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Decodes the JSON string whose token starts at <paramref name="tokenStart"/> (as recorded from
    /// <see cref="Utf8JsonReader.TokenStartIndex"/>). Used only for venue error texts, which are rare, so the parsers
    /// remember where the text was instead of allocating it for every message that might turn out to be an error.
    /// </summary>
    public static string? StringAt(ReadOnlySpan<byte> message, long tokenStart)
    {
        if (tokenStart < 0 || tokenStart >= message.Length)
        {
            return null;
        }

        var reader = new Utf8JsonReader(message[(int)tokenStart..]);
        return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
    }

    /// <summary>
    /// After the top-level object's end, insists there is nothing but whitespace left, so that two messages glued
    /// together or trailing junk count as malformed rather than half-read.
    /// </summary>
    public static void EnsureEndOfMessage(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("content after the end of the message");
        }
    }

    private static bool TryGetUnixTime(ref Utf8JsonReader reader, long ticksPerUnit, out DateTimeOffset value)
    {
        value = default;
        long units;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.TryGetInt64(out units))
                {
                    return false;
                }

                break;
            case JsonTokenType.String:
                if (reader.ValueIsEscaped || !Utf8Parser.TryParse(reader.ValueSpan, out units, out var consumed) || consumed != reader.ValueSpan.Length)
                {
                    return false;
                }

                break;
            default:
                return false;
        }

        var maxUnits = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / ticksPerUnit;
        if (units < 0 || units > maxUnits)
        {
            return false;
        }

        value = DateTimeOffset.UnixEpoch.AddTicks(units * ticksPerUnit);
        return true;
    }

    private static bool TryParseDecimalText(ref Utf8JsonReader reader, out decimal value)
    {
        scoped ReadOnlySpan<byte> text = reader.ValueSpan;
        Span<byte> unescaped = stackalloc byte[MaxEscapedNumberBytes];
        if (reader.ValueIsEscaped)
        {
            if (text.Length > MaxEscapedNumberBytes)
            {
                value = 0m;
                return false;
            }

            var length = reader.CopyString(unescaped);
            text = unescaped[..length];
        }

        // Utf8Parser's 'G' takes a sign, digits, a point and an exponent; no spaces, no thousands separators.
        return Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length && text.Length > 0;
    }
}
