namespace KxCollector.Kalshi.Stream;

/// <summary>
/// The <c>cfbenchmarks_value</c> subscription of one session: <c>{"id":…,"cmd":"subscribe","params":{"channels":["cfbenchmarks_value"],"index_ids":[…]}}</c>
/// (index ids, not market tickers). Kalshi's page on the channel shows the ack as <c>{"id":1,"type":"subscribed","sid":1}</c>,
/// without a channel name, so the ack is matched by the command's id (or by the channel name when one is sent).
/// </summary>
internal sealed partial class StreamSubscriptions
{
    public const string IndexChannel = "cfbenchmarks_value";

    private long? _indexCommandId;

    /// <summary>True once Kalshi acknowledged the index subscription on this session.</summary>
    public bool IndexActive { get; private set; }

    /// <summary>True while the index subscribe waits for its answer.</summary>
    public bool IndexPending => _indexCommandId is { } id && _pending.ContainsKey(id);

    public byte[] SubscribeIndex(IReadOnlyList<string> indexIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(indexIds);
        _now = now;
        var id = ++_nextId;
        _indexCommandId = id;
        _pending[id] = new Command(CommandKind.SubscribeIndex, null, now);
        return Build(id, "subscribe", writer =>
        {
            writer.WriteStartArray("channels");
            writer.WriteStringValue(IndexChannel);
            writer.WriteEndArray();
            writer.WriteStartArray("index_ids");
            foreach (var index in indexIds)
            {
                writer.WriteStringValue(index);
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>True when this ack answers the index subscribe (call before <see cref="OnSubscribed"/>).</summary>
    public bool TryAckIndex(long? id, string? channel, long sid)
    {
        var ours = (id is not null && id == _indexCommandId && IndexPending) || channel == IndexChannel;
        if (ours)
        {
            IndexActive = true;
            _sidByChannel[IndexChannel] = sid;
        }

        return ours;
    }
}
