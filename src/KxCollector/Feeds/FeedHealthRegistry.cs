using KxCollector.Pricing;

namespace KxCollector.Feeds;

/// <summary>One <see cref="FeedHealth"/> per exchange, shared by the feeds (writers) and status reporting (readers).</summary>
internal sealed class FeedHealthRegistry
{
    private readonly FeedHealth[] _feeds = ExchangeNames.All.Select(e => new FeedHealth(e)).ToArray();

    public FeedHealth this[Exchange exchange] => _feeds[(int)exchange];

    public IReadOnlyList<FeedHealth> All => _feeds;
}
