namespace KxCollector.Pricing;

/// <summary>
/// The brti of each recent tick, by UTC second, so a settlement line can average its window without reading the data
/// files back. Fed by the tick loop (one call per second), read by the settlement recorder. Two hours are kept: a
/// result later than that, or a window that began before this process did, is read from the files instead.
/// </summary>
internal sealed class BrtiHistory
{
    public const int Capacity = 2 * 3600;

    private readonly Lock _gate = new();
    private readonly long[] _seconds = new long[Capacity];
    private readonly decimal?[] _values = new decimal?[Capacity];
    private long _firstSecond = long.MaxValue;
    private long _lastSecond = long.MinValue;

    public BrtiHistory() => Array.Fill(_seconds, long.MinValue);

    /// <summary>Records the brti written in the tick stamped <paramref name="tickTime"/> (null when the tick had none).</summary>
    public void Record(DateTimeOffset tickTime, decimal? brti)
    {
        var second = UnixSecond.Of(tickTime);
        var slot = (int)(((second % Capacity) + Capacity) % Capacity);
        lock (_gate)
        {
            _seconds[slot] = second;
            _values[slot] = brti;
            _firstSecond = Math.Min(_firstSecond, second);
            _lastSecond = Math.Max(_lastSecond, second);
        }
    }

    /// <summary>
    /// The window's sum from memory, or null when memory cannot answer for all of it: this process started after the
    /// window began, or the window has already been overwritten.
    /// </summary>
    public BrtiSum? TrySum(BrtiWindow window)
    {
        lock (_gate)
        {
            if (_firstSecond > window.FromSecond || _lastSecond - window.FromSecond >= Capacity)
            {
                return null;
            }

            var sum = default(BrtiSum);
            for (var second = window.FromSecond; second <= window.ToSecond; second++)
            {
                var slot = (int)(((second % Capacity) + Capacity) % Capacity);
                if (_seconds[slot] == second && _values[slot] is { } value)
                {
                    sum = sum.Add(value);
                }
            }

            return sum;
        }
    }
}
