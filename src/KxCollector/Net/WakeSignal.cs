namespace KxCollector.Net;

/// <summary>
/// A wake-up between threads, so a loop sleeps until it has something to do instead of polling: <see cref="Notify"/>
/// from any thread never blocks, and notifications between two waits collapse into one. Used where a loop waits for
/// "this, or at the latest then": the stream's follow loop (a board's set of markets changed), each stream
/// connection's control loop (commands to send), the market tracker (a lifecycle event asks for a poll now).
/// One loop waits on a signal at a time.
/// </summary>
/// <remarks>
/// A wait is one completion source that whichever comes first completes: the notification, the timer or the token.
/// Nothing is cancelled to end a wait. The channel this replaced ended every wait that timed out by cancelling a read,
/// which threw and caught an OperationCanceledException inside the runtime: once a second per stream connection,
/// with a linked token source, a delay task and a WhenAny around it, a fifth of what the daemon allocated with the
/// Kalshi stream at 10 msg/s (docs/BENCHMARKS.md).
/// </remarks>
internal sealed class WakeSignal
{
    private int _notified;
    private TaskCompletionSource? _waiter;

    /// <summary>Any thread; never blocks. The waiting loop resumes on the thread pool, never on the notifier's thread.</summary>
    public void Notify()
    {
        Volatile.Write(ref _notified, 1);
        Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
    }

    /// <summary>Returns once a change was notified since the last wait, or when <paramref name="timeout"/> has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _notified, 0) == 1 || timeout == TimeSpan.Zero)
        {
            return;
        }

        // Asynchronous continuations: Notify is called from socket threads, which must not run the loop's next step.
        var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _waiter, wake);

        // A notification between the check above and the waiter's publication would otherwise wait out the timeout.
        if (Volatile.Read(ref _notified) == 0)
        {
            // An infinite timeout arms no timer at all: a loop with nothing to wait for (no series with games) costs nothing.
            using (timeout == Timeout.InfiniteTimeSpan ? null : time.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), wake, timeout, Timeout.InfiniteTimeSpan))
            using (cancellationToken.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetResult(), wake))
            {
                await wake.Task.ConfigureAwait(false);
            }
        }

        Interlocked.CompareExchange(ref _waiter, null, wake);

        // Whatever was notified up to now is what the loop is about to look at.
        Volatile.Write(ref _notified, 0);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
