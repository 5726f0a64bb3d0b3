namespace KxCollector.Recording;

/// <summary>
/// Runs a hosted service's loop on a thread of its own instead of the thread pool, for loops that must not wait for a
/// pool thread (the tick loop) or must not hold one for long (the archive's compression), as a task the host can
/// watch: it completes when the loop returns or is cancelled by <c>stop</c>, and is faulted when the loop throws.
/// </summary>
internal static class DedicatedThread
{
    public static Task Run(string name, Action<CancellationToken> loop, CancellationToken stop, ThreadPriority priority = ThreadPriority.Normal)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                loop(stop);
                done.SetResult();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                done.SetResult();
            }
#pragma warning disable CA1031 // Handed to the task, which the host watches (a faulted loop stops the collector).
            catch (Exception ex)
#pragma warning restore CA1031
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = name,
            Priority = priority,
        };
        thread.Start();
        return done.Task;
    }
}
