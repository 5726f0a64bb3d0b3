namespace KxCollector.Feeds;

/// <summary>What a venue message meant to the feed.</summary>
internal enum FrameKind : byte
{
    /// <summary>Valid, but nothing the collector uses (status, trades, other products, a one-sided book).</summary>
    Ignored = 0,

    /// <summary>A best bid and ask to publish.</summary>
    Quote,

    /// <summary>A venue heartbeat or pong: the link is alive.</summary>
    Heartbeat,

    /// <summary>The venue acknowledged the subscription.</summary>
    Subscribed,

    /// <summary>The venue reported an error (bad subscription, bad request).</summary>
    Error,

    /// <summary>The venue asks the client to move to a new connection (Bitstamp maintenance).</summary>
    ReconnectRequested,

    /// <summary>Not valid JSON, or a message we use with a field of the wrong type or missing.</summary>
    Malformed,
}
