using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace KxCollector.Export;

/// <summary>
/// One column of an exported table: its Parquet type, how a row's value is written as a Parquet column chunk and as a
/// CSV field. Every column is nullable: a value the record does not carry (null in the JSONL, or a key an older
/// recorder did not write) is a null, never a 0.
/// </summary>
internal abstract class ExportColumn<TRow>(string name)
{
    public string Name { get; } = name;

    public abstract DataField Field { get; }

    public abstract Task WriteAsync(ParquetRowGroupWriter group, List<TRow> rows, CancellationToken ct);

    /// <summary>The CSV field (RFC 4180 quoted where needed); empty for a null.</summary>
    public abstract string CsvField(TRow row);
}

/// <summary>A UTC instant with millisecond precision (the recorded precision): TIMESTAMP(MILLIS, adjusted to UTC).</summary>
internal sealed class TimeColumn<TRow>(string name, Func<TRow, DateTime?> get) : ExportColumn<TRow>(name)
{
    public const string CsvFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DataField Field { get; } = new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true);

    public override Task WriteAsync(ParquetRowGroupWriter group, List<TRow> rows, CancellationToken ct)
    {
        var values = new DateTime?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = get(rows[i]);
        }

        return group.WriteAsync<DateTime>(Field, values, cancellationToken: ct);
    }

    public override string CsvField(TRow row) => get(row)?.ToString(CsvFormat, CultureInfo.InvariantCulture) ?? string.Empty;
}

/// <summary>
/// A price, size or index value, exactly as recorded: DECIMAL(18, 8), stored as a 64-bit integer. Every recorded
/// number fits (cents with at most a few decimals, dollars under 10^10); one that would not fit exactly fails its
/// table file instead of being rounded.
/// </summary>
internal sealed class DecimalColumn<TRow>(string name, Func<TRow, decimal?> get) : ExportColumn<TRow>(name)
{
    public const int Precision = 18;
    public const int Scale = 8;
    private const decimal Limit = 10_000_000_000m;

    public override DataField Field { get; } = new DecimalDataField(name, Precision, Scale, forceByteArrayEncoding: false, isNullable: true);

    public override Task WriteAsync(ParquetRowGroupWriter group, List<TRow> rows, CancellationToken ct)
    {
        var values = new decimal?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (get(rows[i]) is { } value)
            {
                if (Math.Abs(value) >= Limit || decimal.Round(value, Scale) != value)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{Name} = {value} does not fit DECIMAL({Precision},{Scale}) exactly"));
                }

                values[i] = value;
            }
        }

        return group.WriteAsync<decimal>(Field, values, cancellationToken: ct);
    }

    // decimal keeps the recorded number's scale ("5.6" stays 5.6, "65000" stays 65000): the CSV shows the JSONL's text.
    public override string CsvField(TRow row) => get(row)?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
}

internal sealed class IntColumn<TRow>(string name, Func<TRow, int?> get) : ExportColumn<TRow>(name)
{
    public override DataField Field { get; } = new DataField<int?>(name);

    public override Task WriteAsync(ParquetRowGroupWriter group, List<TRow> rows, CancellationToken ct)
    {
        var values = new int?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = get(rows[i]);
        }

        return group.WriteAsync<int>(Field, values, cancellationToken: ct);
    }

    public override string CsvField(TRow row) => get(row)?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
}

internal sealed class BoolColumn<TRow>(string name, Func<TRow, bool?> get) : ExportColumn<TRow>(name)
{
    public override DataField Field { get; } = new DataField<bool?>(name);

    public override Task WriteAsync(ParquetRowGroupWriter group, List<TRow> rows, CancellationToken ct)
    {
        var values = new bool?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = get(rows[i]);
        }

        return group.WriteAsync<bool>(Field, values, cancellationToken: ct);
    }

    public override string CsvField(TRow row) => get(row) switch
    {
        true => "true",
        false => "false",
        null => string.Empty,
    };
}

/// <summary>Text; also JSON kept as its recorded text (books, details), which Parquet readers show as a string.</summary>
internal sealed class TextColumn<TRow>(string name, Func<TRow, string?> get) : ExportColumn<TRow>(name)
{
    public override DataField Field { get; } = new DataField<string>(name, true);

    public override Task WriteAsync(ParquetRowGroupWriter group, List<TRow> rows, CancellationToken ct)
    {
        var values = new string?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = get(rows[i]);
        }

        return group.WriteAsync(Field, values!);
    }

    public override string CsvField(TRow row) => get(row) is { } text ? Csv.Quote(text) : string.Empty;
}

/// <summary>RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled.</summary>
internal static class Csv
{
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(",\"\r\n");

    public static string Quote(string text)
    {
        // An empty string is quoted so a reader can tell it from a null (an empty field).
        if (text.Length == 0)
        {
            return "\"\"";
        }

        return text.AsSpan().IndexOfAny(Special) < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
