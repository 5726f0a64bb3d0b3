namespace KxCollector.Fakes.Kalshi;

/// <summary>
/// Sends on a schedule rather than one delay per message (as the exchange fakes do): what is due goes out in a burst
/// at each wake-up, and a backlog beyond one second is dropped rather than flooded.
/// </summary>
internal static class FakePacing
{
    public static async Task RunAsync(double rate, Func<Task> sendOne, CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        long sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = (long)(clock.GetElapsedTime(started).TotalSeconds * rate) + 1;
            if (due - sent > rate + 1)
            {
                sent = due - (long)Math.Ceiling(rate);
            }

            while (sent < due && !cancellationToken.IsCancellationRequested)
            {
                sent++;
                await sendOne();
            }

            var untilNext = TimeSpan.FromSeconds((sent / rate) - clock.GetElapsedTime(started).TotalSeconds);
            await Task.Delay(untilNext > TimeSpan.FromMilliseconds(1) ? untilNext : TimeSpan.FromMilliseconds(1), cancellationToken);
        }
    }
}
