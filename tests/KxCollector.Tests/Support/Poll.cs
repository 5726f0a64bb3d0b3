using System.Diagnostics;

namespace KxCollector.Tests.Support;

/// <summary>
/// Waits for a condition that another process or thread brings about (a file grows, a socket reconnects), with a
/// deadline that fails the test. For integration tests only: unit tests drive time with FakeTimeProvider.
/// </summary>
public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(describe);
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not true after {timeout.TotalSeconds:F1} s: {describe()}");
            }

            await Task.Delay(20);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? diagnostics = null) =>
        UntilAsync(condition, timeout, () => diagnostics is null ? what : what + Environment.NewLine + diagnostics());

    public static async Task<T> ForValueAsync<T>(Func<T?> probe, TimeSpan timeout, Func<string> describe)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        T? value = null;
        await UntilAsync(() => (value = probe()) is not null, timeout, describe);
        return value!;
    }
}
