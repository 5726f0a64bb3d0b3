using System.Threading.Channels;

namespace KxCollector.Net;

/// <summary>
/// A wake-up between threads, so a loop sleeps until it has something to do instead of polling: <see cref="Notify"/>
/// from any thread never blocks, and notifications between two waits collapse into one. Used where a loop waits for
/// "this, or at the latest then": the stream's follow loop (a board's set of markets changed), each stream
/// connection's control loop (commands to send), the market tracker (a lifecycle event asks for a poll now).
/// </summary>
internal sealed class WakeSignal
{
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Any thread; never blocks.</summary>
    public void Notify() => _changed.Writer.TryWrite(true);

    /// <summary>Returns once a change was notified since the last wait, or when <paramref name="timeout"/> has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_changed.Reader.TryRead(out _))
        {
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(timeout, time, either.Token);
        var changed = _changed.Reader.WaitToReadAsync(either.Token).AsTask();
        await Task.WhenAny(timer, changed);
        await either.CancelAsync();
        _changed.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
