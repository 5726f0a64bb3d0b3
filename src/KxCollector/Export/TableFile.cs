using System.Text;
using KxCollector.Recording;
using Parquet;

namespace KxCollector.Export;

/// <summary>
/// One output file (one table, one series, one UTC day), written under a temporary name and renamed into place only
/// once complete and synced: an interrupted run leaves no file that looks finished, and a finished file is never
/// rewritten. Rows are buffered and written in row groups of at most <see cref="RowGroupRows"/>, so a day of books
/// never has to fit in memory.
/// </summary>
internal sealed class TableFile<TRow> : IAsyncDisposable
{
    /// <summary>Rows per Parquet row group (and per CSV write): a day of ticks is one group, a day of books several.</summary>
    public const int RowGroupRows = 256 * 1024;

    private readonly ExportTable<TRow> _table;
    private readonly ExportFormat _format;
    private readonly string _tempPath;
    private readonly FileStream _stream;
    private readonly List<TRow> _buffer = [];
    private ParquetWriter? _parquet;
    private StreamWriter? _csv;
    private bool _completed;

    private TableFile(ExportTable<TRow> table, ExportFormat format, string path, string tempPath, FileStream stream)
    {
        _table = table;
        _format = format;
        Path = path;
        _tempPath = tempPath;
        _stream = stream;
    }

    public string Path { get; }

    public long Rows { get; private set; }

    public static async Task<TableFile<TRow>> CreateAsync(ExportTable<TRow> table, ExportFormat format, string path, CancellationToken ct)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = TempPathOf(path);
        var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        var file = new TableFile<TRow>(table, format, path, temp, stream);
        try
        {
            await file.OpenAsync(ct);
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>The name a file has while it is written: hidden, and ending in neither .parquet nor .csv.</summary>
    public static string TempPathOf(string path) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, "." + System.IO.Path.GetFileName(path) + ".partial");

    /// <summary>Buffers a row; once <see cref="Full"/>, the caller flushes (readers hand out lines synchronously).</summary>
    public void Add(TRow row) => _buffer.Add(row);

    public bool Full => _buffer.Count >= RowGroupRows;

    public async Task CompleteAsync(CancellationToken ct)
    {
        await FlushAsync(ct);
        if (_parquet is not null)
        {
            await _parquet.DisposeAsync();
            _parquet = null;
        }

        if (_csv is not null)
        {
            await _csv.FlushAsync(ct);
        }

        await _stream.FlushAsync(ct);
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync();
        File.Move(_tempPath, Path, overwrite: false);
        DirectorySync.TryFsync(System.IO.Path.GetDirectoryName(Path)!);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_completed)
        {
            return;
        }

        // Not completed (a bad source, an error, Ctrl-C): no file under the final name, and no temporary left behind.
        try
        {
            if (_parquet is not null)
            {
                await _parquet.DisposeAsync();
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or InvalidDataException)
        {
            // The half-written file is being thrown away; what failed is reported by whoever failed it.
        }

        await _stream.DisposeAsync();
        File.Delete(_tempPath);
    }

    private async Task OpenAsync(CancellationToken ct)
    {
        if (_format == ExportFormat.Parquet)
        {
            _parquet = await ParquetWriter.CreateAsync(_table.Schema, _stream, new ParquetOptions { CompressionMethod = CompressionMethod.Zstd }, cancellationToken: ct);
        }
        else
        {
            _csv = new StreamWriter(_stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
            await _csv.WriteLineAsync(string.Join(',', _table.Columns.Select(c => Csv.Quote(c.Name))));
        }
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        if (_buffer.Count == 0)
        {
            return;
        }

        if (_parquet is not null)
        {
            using var group = _parquet.CreateRowGroup();
            foreach (var column in _table.Columns)
            {
                await column.WriteAsync(group, _buffer, ct);
            }
        }
        else
        {
            var line = new StringBuilder();
            foreach (var row in _buffer)
            {
                line.Clear();
                for (var i = 0; i < _table.Columns.Count; i++)
                {
                    if (i > 0)
                    {
                        line.Append(',');
                    }

                    line.Append(_table.Columns[i].CsvField(row));
                }

                await _csv!.WriteLineAsync(line, ct);
            }
        }

        Rows += _buffer.Count;
        _buffer.Clear();
    }
}
