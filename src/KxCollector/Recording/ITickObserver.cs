namespace KxCollector.Recording;

/// <summary>
/// Told on the tick thread right after the primary series' tick line was handed to its file, in the same wake-up
/// (status.json rides on it instead of waking the process on a timer of its own). Must be quick and must not throw:
/// the next tick waits for it to return.
/// </summary>
internal interface ITickObserver
{
    void OnTick(DateTimeOffset at);
}
