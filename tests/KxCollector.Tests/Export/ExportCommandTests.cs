using System.Globalization;
using DuckDB.NET.Data;
using KxCollector.Export;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Export;

/// <summary>
/// The export read back by an independent engine (DuckDB, which has its own Parquet and CSV readers) and compared,
/// row by row and column by column, with the JSONL it came from as System.Text.Json reads it.
/// </summary>
public sealed class ExportCommandTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 25);
    private readonly TempDirectory _dir = new();

    private string Data => _dir.Combine("data");

    private string Out => _dir.Combine("out");

    public ExportCommandTests() => Directory.CreateDirectory(Data);

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Parquet_tables_hold_every_jsonl_row_exactly_as_duckdb_reads_them(bool compressed)
    {
        ExportDay.Write(Data, ExportDay.Day, compressRecorded: compressed);

        var (exit, stdout, stderr) = await ExportAsync("parquet");

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("9 file(s) written");
        var expected = ExpectedTables.From(ExportDay.RecordedLines(), [.. ExportDay.BackfillTradeLines(), .. ExportDay.BackfillCandleLines()]);
        expected["books"].Rows.Should().NotBeEmpty();
        expected["trades"].Rows.Should().HaveCount(4, "the stream's and the backfill's copy of t-stream-1 are one trade");
        using var db = Open();
        foreach (var (table, (columns, rows)) in expected)
        {
            var path = PathOf(table, "parquet");
            var actual = Query(db, $"SELECT * FROM read_parquet('{path}')", out var names);
            names.Should().Equal(columns.Select(c => c.Name), table);
            actual.Should().HaveCount(rows.Count, table);
            for (var r = 0; r < rows.Count; r++)
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    var want = ExpectedTables.Typed(columns[c], rows[r][c]);
                    var got = Normalise(actual[r][c]);
                    if (want is decimal d && got is not null)
                    {
                        got = Convert.ToDecimal(got, CultureInfo.InvariantCulture);
                        got.Should().Be(d, $"{table} row {r} {columns[c].Name}");
                    }
                    else
                    {
                        ExpectedTables.Describe(got).Should().Be(ExpectedTables.Describe(want), $"{table} row {r} {columns[c].Name}");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Parquet_columns_are_utc_timestamps_and_exact_decimals_zstd_compressed()
    {
        ExportDay.Write(Data, ExportDay.Day, compressRecorded: false);
        (await ExportAsync("parquet")).Exit.Should().Be(0);

        using var db = Open();
        var types = Query(db, $"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{PathOf("ticks", "parquet")}'))", out _)
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        types["ts"].Should().Be("TIMESTAMP WITH TIME ZONE");
        types["official_index_ts"].Should().Be("TIMESTAMP WITH TIME ZONE");
        types["brti"].Should().Be("DECIMAL(18,8)");
        var meta = Query(db, $"SELECT DISTINCT compression FROM parquet_metadata('{PathOf("quotes", "parquet")}')", out _);
        meta.Select(r => (string)r[0]!).Should().Equal("ZSTD");
        var groups = Query(db, $"SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{PathOf("quotes", "parquet")}')", out _);
        Convert.ToInt64(groups[0][0], CultureInfo.InvariantCulture).Should().Be(1);
    }

    [Fact]
    public async Task Csv_tables_hold_every_jsonl_value_as_its_recorded_text()
    {
        ExportDay.Write(Data, ExportDay.Day, compressRecorded: true);

        var (exit, _, stderr) = await ExportAsync("csv");

        exit.Should().Be(0, stderr);
        var expected = ExpectedTables.From(ExportDay.RecordedLines(), [.. ExportDay.BackfillTradeLines(), .. ExportDay.BackfillCandleLines()]);
        using var db = Open();
        foreach (var (table, (columns, rows)) in expected)
        {
            var actual = Query(db, $"SELECT * FROM read_csv('{PathOf(table, "csv")}', header = true, all_varchar = true, quote = '\"', escape = '\"')", out var names);
            names.Should().Equal(columns.Select(c => c.Name), table);
            actual.Should().HaveCount(rows.Count, table);
            for (var r = 0; r < rows.Count; r++)
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    (actual[r][c] as string).Should().Be(ExpectedTables.Text(columns[c], rows[r][c]), $"{table} row {r} {columns[c].Name}");
                }
            }
        }
    }

    [Fact]
    public async Task A_second_run_keeps_every_finished_file_and_leaves_no_temporary()
    {
        ExportDay.Write(Data, ExportDay.Day, compressRecorded: false);
        (await ExportAsync("parquet")).Exit.Should().Be(0);
        var ticks = PathOf("ticks", "parquet");
        var written = File.GetLastWriteTimeUtc(ticks);
        File.SetLastWriteTimeUtc(ticks, written.AddHours(-1));
        File.Delete(PathOf("books", "parquet"));

        var (exit, stdout, _) = await ExportAsync("parquet");

        exit.Should().Be(0);
        stdout.Should().Contain("1 file(s) written").And.Contain("8 already complete and kept");
        File.GetLastWriteTimeUtc(ticks).Should().Be(written.AddHours(-1), "a finished file is never rewritten");
        File.Exists(PathOf("books", "parquet")).Should().BeTrue();
        Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories).Should().OnlyContain(p => p.EndsWith(".parquet", StringComparison.Ordinal));

        (await ExportAsync("parquet")).Stdout.Should().Contain("0 file(s) written").And.Contain("1 day(s) not read again");
    }

    [Fact]
    public async Task A_corrupt_gz_costs_its_own_tables_only_and_is_named()
    {
        var good = ExportDay.Day;
        var bad = good.AddDays(1);
        ExportDay.Write(Data, good, compressRecorded: true);
        ExportDay.Write(Data, bad, compressRecorded: true, recorded: ExportDay.RecordedLines().Select(l => l.Replace("2026-11-21", "2026-11-22", StringComparison.Ordinal)).ToList());
        var badGz = Path.Combine(Data, "kxbtc15m-2026-11-22.jsonl.gz");
        var bytes = File.ReadAllBytes(badGz);
        File.WriteAllBytes(badGz, bytes[..(bytes.Length * 2 / 3)]);

        var (exit, _, stderr) = await ExportAsync("parquet", to: "2026-11-22");

        exit.Should().Be(KxCollector.Cli.ExitCodes.ProblemsFound);
        stderr.Should().Contain(badGz);
        foreach (var table in DayExporter.TableNames)
        {
            File.Exists(PathOf(table, "parquet", good)).Should().BeTrue(table);
        }

        // The bad day's recorded file feeds every table: none is written that would look complete and not be.
        Directory.EnumerateFiles(Out, "*2026-11-22*", SearchOption.AllDirectories).Should().BeEmpty();
        Directory.EnumerateFiles(Out, ".*", SearchOption.AllDirectories).Should().BeEmpty("no temporary is left behind");
    }

    [Fact]
    public async Task A_value_that_would_not_be_exact_fails_its_table_file_only()
    {
        var lines = ExportDay.RecordedLines().ToList();
        lines.Add("{\"type\":\"index\",\"ts\":\"2026-11-21T20:00:00.000Z\",\"index_id\":\"BRTI\",\"value\":0.123456789,\"received_at\":null}");
        ExportDay.Write(Data, ExportDay.Day, compressRecorded: false, recorded: lines);

        var (exit, _, stderr) = await ExportAsync("parquet");

        exit.Should().Be(KxCollector.Cli.ExitCodes.ProblemsFound);
        stderr.Should().Contain(PathOf("index", "parquet")).And.Contain("DECIMAL(18,8)");
        File.Exists(PathOf("index", "parquet")).Should().BeFalse();
        File.Exists(PathOf("ticks", "parquet")).Should().BeTrue();
    }

    [Fact]
    public async Task The_readme_s_duckdb_queries_run_on_an_export()
    {
        ExportDay.Write(Data, ExportDay.Day, compressRecorded: true);
        (await ExportAsync("parquet")).Exit.Should().Be(0);
        (await ExportAsync("csv")).Exit.Should().Be(0);
        var readme = File.ReadAllText(Fixtures.RepositoryFile("README.md"));
        var block = readme[(readme.IndexOf("```sql\n-- duckdb\n", StringComparison.Ordinal) + 7)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];

        using var db = Open();
        var statements = block.Replace("'export/", $"'{Out}/", StringComparison.Ordinal).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        statements.Should().HaveCount(3);
        foreach (var sql in statements)
        {
            Query(db, sql, out _).Should().NotBeEmpty(sql);
        }
    }

    [Fact]
    public void Today_and_later_are_never_exported()
    {
        var (request, error, note) = ExportRequest.Parse("kxbtc15m", "2026-11-20", "2026-11-30", "parquet", "/tmp/x", Today);

        error.Should().BeNull();
        request!.To.Should().Be(Today.AddDays(-1));
        request.Series.Should().Equal("KXBTC15M");
        note.Should().Contain("2026-11-25");
        ExportRequest.Parse("KXBTC15M", "2026-11-25", null, "parquet", "/tmp/x", Today).Error.Should().Contain("nothing to export");
        ExportRequest.Parse("KX-BAD!", "2026-11-20", null, "parquet", "/tmp/x", Today).Error.Should().Contain("--series");
        ExportRequest.Parse("KXBTC15M", "2026-11-20", null, "feather", "/tmp/x", Today).Error.Should().Contain("--format");
    }

    private string PathOf(string table, string ext, DateOnly? day = null) => Path.Combine(Out, table, $"kxbtc15m-{day ?? ExportDay.Day:yyyy-MM-dd}.{ext}");

    private async Task<(int Exit, string Stdout, string Stderr)> ExportAsync(string format, string to = "2026-11-21")
    {
        var (request, error, _) = ExportRequest.Parse("KXBTC15M", "2026-11-21", to, format, Out, Today);
        error.Should().BeNull();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await ExportCommand.RunAsync(request!, Data, stdout, stderr, terminal: false, TimeProvider.System, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static DuckDBConnection Open()
    {
        var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        return db;
    }

    private static List<object?[]> Query(DuckDBConnection db, string sql, out List<string> names)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static object? Normalise(object? value) => value switch
    {
        DateTimeOffset o => o.UtcDateTime,
        DateTime t => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc),
        _ => value,
    };
}
