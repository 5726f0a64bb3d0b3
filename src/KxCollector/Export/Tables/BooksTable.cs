using System.Text;
using System.Text.Json;
using KxCollector.Store.Records;

namespace KxCollector.Export.Tables;

/// <summary>One order-book level as recorded in a tick: side yes/no, level 1 = best bid of that side, price in cents.</summary>
internal readonly record struct BookLevelRow(DateTime Timestamp, string Ticker, string Side, int Level, decimal? Price, decimal? Size);

/// <summary>The books of the tick entries (yes_book / no_book, recorded with BOOK_DEPTH), one row per level.</summary>
internal static class BooksTable
{
    public static ExportTable<BookLevelRow> Shape { get; } = new("books",
    [
        new TimeColumn<BookLevelRow>("ts", r => r.Timestamp),
        new TextColumn<BookLevelRow>("ticker", r => r.Ticker),
        new TextColumn<BookLevelRow>("side", r => r.Side),
        new IntColumn<BookLevelRow>("level", r => r.Level),
        new DecimalColumn<BookLevelRow>("price", r => r.Price),
        new DecimalColumn<BookLevelRow>("size", r => r.Size),
    ]);

    /// <summary>The levels of one side's recorded book text (<c>[[price_cents,size],…]</c>, best first).</summary>
    public static void AddLevels(DepthRow depth, string side, string? book, List<BookLevelRow> into)
    {
        if (book is null)
        {
            return;
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(book));
        reader.Read();
        var level = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var price = reader.TokenType == JsonTokenType.Number ? reader.GetDecimal() : (decimal?)null;
            reader.Read();
            var size = reader.TokenType == JsonTokenType.Number ? reader.GetDecimal() : (decimal?)null;

            // A level with more than [price, size] (none is recorded today): its extra values are not exported.
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
            }

            into.Add(new BookLevelRow(depth.Timestamp, depth.Ticker, side, ++level, price, size));
        }
    }
}
