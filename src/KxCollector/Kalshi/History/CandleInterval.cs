namespace KxCollector.Kalshi.History;

/// <summary>A candlestick period: its name in records and on the command line, and Kalshi's period_interval (minutes).</summary>
internal sealed record CandleInterval(string Name, int Minutes)
{
    public static readonly CandleInterval OneMinute = new("1m", 1);
    public static readonly CandleInterval OneHour = new("1h", 60);
    public static readonly CandleInterval OneDay = new("1d", 1440);

    public static IReadOnlyList<CandleInterval> All { get; } = [OneMinute, OneHour, OneDay];

    public TimeSpan Period => TimeSpan.FromMinutes(Minutes);

    public static CandleInterval? Parse(string? text) =>
        All.FirstOrDefault(i => string.Equals(i.Name, text?.Trim(), StringComparison.OrdinalIgnoreCase));
}
