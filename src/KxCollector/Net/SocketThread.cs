using System.Runtime.CompilerServices;

namespace KxCollector.Net;

/// <summary>
/// Leaving the socket thread. The daemon runs with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 (botctl, the unit):
/// the continuation of a socket await then runs on the one epoll thread instead of the thread pool, so anything slow
/// there (file I/O, fsync, a lock a file writer holds, heavy parsing) stalls every socket of the process. Code that
/// does such work after a network await starts it with one of these, at the boundary where the network part ends.
/// The feeds' per-frame path (parse, lock-free board write) stays on the socket thread on purpose: that is the gain.
/// </summary>
internal static class SocketThread
{
    /// <summary><c>await SocketThread.Leave();</c>: the rest runs on the thread pool, whatever thread got here
    /// (it awaits a completed task with ForceYielding, which always queues the continuation).</summary>
    public static ConfiguredTaskAwaitable Leave() => Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);

    /// <summary>
    /// Awaits <paramref name="task"/> and continues on the thread pool, whether it completes with a result, a fault or
    /// a cancellation (which are rethrown there), never on the thread that completed it.
    /// </summary>
    public static async Task<T> Off<T>(Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);

        // ForceYielding alone is not enough: it only makes an await of a task that is already complete yield; the
        // continuation of a pending one still runs on the thread that completes it. So: wait, then yield.
        await ((Task)task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Leave();
        return await task;
    }
}
