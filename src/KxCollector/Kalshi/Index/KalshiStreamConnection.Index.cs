using KxCollector.Kalshi.Index;

namespace KxCollector.Kalshi.Stream;

/// <summary>The official index on the lifecycle connection: subscribe when due, acks, refusals, and the prints.</summary>
internal sealed partial class KalshiStreamConnection
{
    /// <summary>The official index feed, on the one connection that carries it (connection 0); null elsewhere.</summary>
    public OfficialIndexFeed? OfficialIndex { get; init; }

    /// <summary>The index subscribe, when this session has none and the feed wants one now. Under _gate.</summary>
    private void AddIndexCommand(StreamSubscriptions subscriptions, DateTimeOffset now, List<byte[]> commands)
    {
        if (OfficialIndex is not { } feed || feed.IndexIds.Count == 0 || subscriptions.IndexActive || subscriptions.IndexPending || !feed.ShouldSubscribe(now))
        {
            return;
        }

        commands.Add(subscriptions.SubscribeIndex(feed.IndexIds, now));
        feed.OnSubscribing(now);
    }

    private void OnIndexFrame(ReadOnlySpan<byte> json, DateTimeOffset now)
    {
        if (OfficialIndex is { } feed && !feed.OnFrame(json, now))
        {
            _stats.Malformed();
        }
    }
}
