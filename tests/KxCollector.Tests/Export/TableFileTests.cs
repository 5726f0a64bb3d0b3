using DuckDB.NET.Data;
using KxCollector.Export;
using KxCollector.Export.Tables;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Export;

public sealed class TableFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_table_larger_than_a_row_group_is_written_as_several_and_reads_back_whole()
    {
        var path = _dir.Combine("books", "x.parquet");
        var rows = TableFile<BookLevelRow>.RowGroupRows + 1000;
        var start = new DateTime(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc);
        await using (var file = await TableFile<BookLevelRow>.CreateAsync(BooksTable.Shape, ExportFormat.Parquet, path, CancellationToken.None))
        {
            for (var i = 0; i < rows; i++)
            {
                file.Add(new BookLevelRow(start.AddSeconds(i / 20), "KXBTC15M-26NOV210015-15", i % 2 == 0 ? "yes" : "no", 1 + (i % 10), 50 - (i % 10), i % 25_000));
                if (file.Full)
                {
                    await file.FlushAsync(CancellationToken.None);
                }
            }

            await file.CompleteAsync(CancellationToken.None);
        }

        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT (SELECT count(*) FROM read_parquet('{path}')), (SELECT sum(size) FROM read_parquet('{path}')), (SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{path}'))";
        using var reader = command.ExecuteReader();
        reader.Read();
        Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture).Should().Be(rows);
        reader.GetDecimal(1).Should().Be(Enumerable.Range(0, rows).Sum(i => (decimal)(i % 25_000)));
        Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture).Should().Be(2);
    }
}
