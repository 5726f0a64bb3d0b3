using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KxCollector.Records;

namespace KxCollector.Backfill;

/// <summary>
/// What makes a backfill record unique: a market by its ticker, a trade by its trade_id, a candle by ticker +
/// interval + end. The key is read back from the record line itself, so the records being written and those
/// already in a file are keyed by the same code. Keys are kept as 128 bits of SHA-256 (16 bytes a record instead
/// of a string per trade id; a collision is out of reach at any realistic volume).
/// </summary>
internal static class BackfillKeys
{
    /// <summary>The key of one record line, or null when it is not a backfill record we know.</summary>
    public static UInt128? Of(ReadOnlySpan<byte> line)
    {
        string? type = null, ticker = null, tradeId = null, interval = null, end = null;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    continue;
                }

                switch (name)
                {
                    case RecordJson.Type: type = reader.GetString(); break;
                    case RecordJson.Ticker: ticker = reader.GetString(); break;
                    case TradeRecord.TradeIdKey: tradeId = reader.GetString(); break;
                    case CandleRecord.IntervalKey: interval = reader.GetString(); break;
                    case CandleRecord.EndKey: end = reader.GetString(); break;
                    default: break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        var text = type switch
        {
            MarketRecord.Type when ticker is not null => $"market|{ticker}",
            TradeRecord.Type when tradeId is not null => $"trade|{tradeId}",
            CandleRecord.Type when ticker is not null && interval is not null && end is not null => $"candle|{ticker}|{interval}|{end}",
            _ => null,
        };
        return text is null ? null : Hash(text);
    }

    public static UInt128 Hash(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return new UInt128(BinaryPrimitives.ReadUInt64LittleEndian(digest), BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]));
    }
}
