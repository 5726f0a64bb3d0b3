using System.Collections.Concurrent;

namespace KxCollector.Recording;

/// <summary>Where a data file's periodic fsync runs (<see cref="DailyJsonlWriter"/>).</summary>
internal interface IFsyncRunner
{
    void Run(Action fsync);
}

/// <summary>On the appending thread, before Append returns: for tests and one-off tools.</summary>
internal sealed class InlineFsync : IFsyncRunner
{
    public static readonly InlineFsync Instance = new();

    public void Run(Action fsync) => fsync();
}

/// <summary>
/// One thread of its own for the periodic fsyncs of every data file. An fsync can take seconds when the disk is busy
/// (ext4 may have to commit other files' data with it), and on the appending thread it would hold up every line behind
/// it (on the tick's thread, as it once was, that second got no tick: the likely cause of the second one soak beside
/// large builds lost). Here the appending thread only hands the request over; appends go on while the disk catches up,
/// and each file has at most one fsync waiting.
/// </summary>
internal sealed class BackgroundFsync : IFsyncRunner, IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly Lock _gate = new();
    private Thread? _thread;

    public void Run(Action fsync)
    {
        lock (_gate)
        {
            if (_thread is null)
            {
                _thread = new Thread(Drain) { IsBackground = true, Name = "kx-fsync" };
                _thread.Start();
            }
        }

        // After Dispose (shutdown, when every writer has fsynced and closed its file itself) there is nothing to do;
        // BlockingCollection refuses additions then by throwing, even from TryAdd.
        try
        {
            _queue.TryAdd(fsync);
        }
        catch (InvalidOperationException) when (_queue.IsAddingCompleted)
        {
        }
    }

    /// <summary>Stops taking work; the request in progress finishes on its thread (a daemon thread: exit never waits).</summary>
    public void Dispose() => _queue.CompleteAdding();

    private void Drain()
    {
        foreach (var fsync in _queue.GetConsumingEnumerable())
        {
            fsync();
        }
    }
}
