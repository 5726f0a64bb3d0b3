using System.Threading.Channels;

namespace KxCollector.Kalshi.Markets;

/// <summary>
/// Tells whoever follows the markets in the ticks (the stream's connections) that a board's set of markets changed,
/// so it re-reads the boards then rather than polling them. Changes between two waits collapse into one wake-up.
/// </summary>
internal sealed class MarketSetSignal
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
