namespace KxCollector.Export;

/// <summary>
/// One table's file for one series and day, or nothing when that file exists already (kept) or the table failed. A
/// failure (a value that cannot be written exactly, an I/O error, a bad source) costs this file only: its temporary
/// is removed and the reason kept for the summary.
/// </summary>
internal interface ITableOutput : IAsyncDisposable
{
    string Path { get; }

    string? Failure { get; }

    bool Full { get; }

    Task FlushAsync(CancellationToken ct);

    /// <summary>Finishes the file; the rows written, or null when it was kept or failed.</summary>
    Task<long?> CompleteAsync(CancellationToken ct);

    Task FailAsync(string reason);
}

internal sealed class TableOutput<TRow>(string path, TableFile<TRow>? file) : ITableOutput
{
    private TableFile<TRow>? _file = file;

    public string Path { get; } = path;

    public string? Failure { get; private set; }

    public bool Full => _file?.Full == true;

    public static async Task<TableOutput<TRow>> OpenAsync(ExportTable<TRow> table, ExportFormat format, string path, CancellationToken ct)
    {
        // A finished file is never rewritten: an export run again continues where the last one stopped.
        if (File.Exists(path))
        {
            return new TableOutput<TRow>(path, null);
        }

        return new TableOutput<TRow>(path, await TableFile<TRow>.CreateAsync(table, format, path, ct));
    }

    public void Add(TRow row) => _file?.Add(row);

    public async Task FlushAsync(CancellationToken ct)
    {
        if (_file is null)
        {
            return;
        }

        try
        {
            await _file.FlushAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            await FailAsync(ex.Message);
        }
    }

    public async Task<long?> CompleteAsync(CancellationToken ct)
    {
        if (_file is null)
        {
            return null;
        }

        try
        {
            await _file.CompleteAsync(ct);
            return _file.Rows;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            await FailAsync(ex.Message);
            return null;
        }
    }

    public async Task FailAsync(string reason)
    {
        if (_file is null)
        {
            return;
        }

        Failure = reason;
        var file = _file;
        _file = null;
        await file.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync();
            _file = null;
        }
    }
}
