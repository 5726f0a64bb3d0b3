namespace KxCollector.Recording;

/// <summary>Where JSONL records go: the daily file of the record's UTC date.</summary>
internal interface IRecordSink
{
    /// <summary>
    /// Appends one JSON record (without its newline) to the file of <paramref name="timestamp"/>'s UTC date.
    /// Never throws for I/O: a record that cannot be written now is kept and written when the disk is back.
    /// Returns true when the record (and everything queued before it) reached the file.
    /// </summary>
    bool Append(DateTimeOffset timestamp, ReadOnlySpan<byte> record);

    /// <summary>Syncs the current file to disk (shutdown, or a caller that needs durability now).</summary>
    void FlushToDisk();
}
