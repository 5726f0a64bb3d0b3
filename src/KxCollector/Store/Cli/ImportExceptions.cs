namespace KxCollector.Store.Cli;

/// <summary>A line of a file could not be turned into rows for a reason other than bad input: the import stops there.</summary>
internal sealed class ImportReadException : Exception
{
    public ImportReadException(string path, long line, Exception innerException)
        : base(FormattableString.Invariant($"{path} line {line:N0}: {innerException.Message}"), innerException)
    {
        Path = path;
        Line = line;
    }

    public ImportReadException()
    {
        Path = string.Empty;
    }

    public ImportReadException(string message)
        : base(message)
    {
        Path = string.Empty;
    }

    public ImportReadException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
    }

    public string Path { get; }

    public long Line { get; }
}

/// <summary>
/// The database refused or failed a batch: says which lines the batch held (their rows are not stored; the batches
/// before it are), so a row the server cannot take can be found in the file.
/// </summary>
internal sealed class ImportWriteException : Exception
{
    private ImportWriteException(string lines, string message, Exception innerException)
        : base(message, innerException)
    {
        Lines = lines;
    }

    public ImportWriteException()
    {
        Lines = string.Empty;
    }

    public ImportWriteException(string message)
        : base(message)
    {
        Lines = string.Empty;
    }

    public ImportWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
        Lines = string.Empty;
    }

    public string Lines { get; }

    public static ImportWriteException Of(string lines, Exception innerException) =>
        new(lines, $"writing the rows of {lines}: {innerException.Message}", innerException);
}
