using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using KxCollector.Net;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Benchmarks;

/// <summary>
/// A wait that ends by its timeout, as each Kalshi stream connection's control loop waits once a second: WakeSignal
/// against the channel-based wait it replaced (kept here as the baseline), which ended such a wait by cancelling a
/// channel read. The clock is a FakeTimeProvider moved past the timeout, so the figure is the wait's own cost, not
/// the timer's resolution.
/// </summary>
[MemoryDiagnoser]
public class WakeSignalBenchmarks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private readonly ChannelWakeSignal _channel = new();
    private readonly WakeSignal _signal = new();
    private readonly FakeTimeProvider _time = new();

    [Benchmark(Baseline = true)]
    public Task ChannelWaitTimesOut() => TimedOut(_channel.WaitAsync(Timeout, _time, CancellationToken.None));

    [Benchmark]
    public Task WakeSignalWaitTimesOut() => TimedOut(_signal.WaitAsync(Timeout, _time, CancellationToken.None));

    private Task TimedOut(Task wait)
    {
        _time.Advance(Timeout);
        return wait;
    }

    /// <summary>WakeSignal as it was until 2026-12-04.</summary>
    private sealed class ChannelWakeSignal
    {
        private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

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
}
