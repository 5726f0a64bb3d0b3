namespace KxCollector.Feeds;

/// <summary>
/// A parser's verdict on one message. A struct so that parsing a quote or a heartbeat allocates nothing;
/// only the rare error verdicts carry a string.
/// </summary>
internal readonly struct ParsedFrame
{
    private ParsedFrame(FrameKind kind, decimal bid, decimal ask, DateTimeOffset? exchangeTime, string? detail)
    {
        Kind = kind;
        Bid = bid;
        Ask = ask;
        ExchangeTime = exchangeTime;
        Detail = detail;
    }

    public FrameKind Kind { get; }

    public decimal Bid { get; }

    public decimal Ask { get; }

    /// <summary>The venue's own time of the quote, when its message has one.</summary>
    public DateTimeOffset? ExchangeTime { get; }

    /// <summary>The venue's error text for <see cref="FrameKind.Error"/>, the reason for <see cref="FrameKind.Malformed"/>.</summary>
    public string? Detail { get; }

    public static ParsedFrame Ignored => default;

    public static ParsedFrame Heartbeat => new(FrameKind.Heartbeat, 0m, 0m, null, null);

    public static ParsedFrame Subscribed => new(FrameKind.Subscribed, 0m, 0m, null, null);

    public static ParsedFrame ReconnectRequested => new(FrameKind.ReconnectRequested, 0m, 0m, null, null);

    public static ParsedFrame Quote(decimal bid, decimal ask, DateTimeOffset? exchangeTime) => new(FrameKind.Quote, bid, ask, exchangeTime, null);

    public static ParsedFrame Error(string message) => new(FrameKind.Error, 0m, 0m, null, message);

    /// <param name="reason">A constant text, so that even a flood of bad frames does not allocate.</param>
    public static ParsedFrame Malformed(string reason) => new(FrameKind.Malformed, 0m, 0m, null, reason);

    public override string ToString() => Kind switch
    {
        FrameKind.Quote => $"Quote({Bid}, {Ask}, {ExchangeTime:O})",
        FrameKind.Error or FrameKind.Malformed => $"{Kind}({Detail})",
        _ => Kind.ToString(),
    };
}
