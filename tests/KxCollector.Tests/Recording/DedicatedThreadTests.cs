using KxCollector.Recording;

namespace KxCollector.Tests.Recording;

/// <summary>The host watches a dedicated loop through its task: done when the loop ends or is cancelled, faulted when it throws.</summary>
public sealed class DedicatedThreadTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_loop_runs_on_a_named_thread_of_its_own_and_its_task_completes_when_it_returns()
    {
        (string? Name, bool Pool, ThreadPriority Priority) seen = default;
        await DedicatedThread.Run(
            "kx-test",
            _ => seen = (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Priority),
            CancellationToken.None,
            ThreadPriority.BelowNormal).WaitAsync(Wait);

        seen.Should().Be(("kx-test", false, ThreadPriority.BelowNormal));
    }

    [Fact]
    public async Task A_loop_cancelled_by_its_stop_token_completes_and_one_that_throws_faults_the_task()
    {
        using var stop = new CancellationTokenSource();
        var cancelled = DedicatedThread.Run("kx-test", ct => Task.Delay(Timeout.Infinite, ct).Wait(ct), stop.Token);
        await stop.CancelAsync();
        await cancelled.WaitAsync(Wait);
        cancelled.IsCompletedSuccessfully.Should().BeTrue();

        var failing = DedicatedThread.Run("kx-test", _ => throw new InvalidOperationException("a loop bug"), CancellationToken.None);
        await FluentActions.Awaiting(() => failing.WaitAsync(Wait)).Should().ThrowAsync<InvalidOperationException>().WithMessage("a loop bug");

        // Cancellation that is not the stop token's is a failure like any other.
        var foreign = DedicatedThread.Run("kx-test", _ => throw new OperationCanceledException(), CancellationToken.None);
        await FluentActions.Awaiting(() => foreign.WaitAsync(Wait)).Should().ThrowAsync<OperationCanceledException>();
        foreign.IsFaulted.Should().BeTrue();
    }
}
