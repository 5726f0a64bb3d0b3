namespace KxCollector.Recording;

/// <summary>
/// Told right after the primary series' tick line was given to its file, in the same wake-up (status.json rides on it
/// instead of waking the process on a timer of its own): on the records' writer thread where the tick hands its line
/// over (the daemon), on the tick thread otherwise. Must be quick and must not throw: the lines queued behind the tick
/// (or, on the tick thread, the next tick) wait for it to return.
/// </summary>
internal interface ITickObserver
{
    void OnTick(DateTimeOffset at);
}
