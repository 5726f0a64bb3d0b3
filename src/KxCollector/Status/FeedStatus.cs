namespace KxCollector.Status;

/// <summary>One exchange feed as the status file shows it.</summary>
/// <param name="Fresh">Its latest quote is recent enough to be written (the tick's own staleness rule).</param>
internal sealed record FeedStatus(
    string Name,
    bool Connected,
    bool Fresh,
    DateTimeOffset? LastFrameAt,
    long Reconnects,
    long MalformedFrames,
    string? LastError);
