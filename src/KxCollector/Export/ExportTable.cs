using Parquet.Schema;

namespace KxCollector.Export;

/// <summary>What an exported table is called and the columns of its rows, in order.</summary>
internal sealed class ExportTable<TRow>(string name, IReadOnlyList<ExportColumn<TRow>> columns)
{
    public string Name { get; } = name;

    public IReadOnlyList<ExportColumn<TRow>> Columns { get; } = columns;

    public ParquetSchema Schema { get; } = new(columns.Select(c => (Field)c.Field));
}

internal enum ExportFormat
{
    Parquet,
    Csv,
}
