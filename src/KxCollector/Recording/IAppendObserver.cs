namespace KxCollector.Recording;

/// <summary>
/// Told on <see cref="RecordHandOff"/>'s writer thread once a handed-over record's <see cref="IRecordSink.Append"/> has
/// returned, with what it returned (true: the record reached the file). Must not throw.
/// </summary>
internal interface IAppendObserver
{
    void OnAppended(DateTimeOffset timestamp, bool written);
}
