using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KxCollector.Fakes.Exchanges;

/// <summary>
/// Bitstamp WebSocket v2 (docs/venues.md, "Bitstamp"): expects <c>bts:subscribe</c> to <c>order_book_btcusd</c>,
/// acknowledges with <c>bts:subscription_succeeded</c>, then streams full book snapshots (strings, <c>data</c>
/// before <c>event</c> as the real frames have it). It sends no heartbeats of its own but answers
/// <c>bts:heartbeat</c>, and can ask its clients to reconnect (<c>bts:request_reconnect</c>).
/// </summary>
public sealed class FakeBitstamp : FakeExchange
{
    private long _heartbeatsAnswered;

    private FakeBitstamp()
        : base("bitstamp", "/")
    {
    }

    /// <summary>bts:heartbeat messages received and answered.</summary>
    public long HeartbeatsAnswered => Interlocked.Read(ref _heartbeatsAnswered);

    public static async Task<FakeBitstamp> StartAsync(int port = 0)
    {
        var fake = new FakeBitstamp();
        await fake.StartServingAsync(port);
        return fake;
    }

    /// <summary>Sends <c>bts:request_reconnect</c> to every client: the server will drop them soon (maintenance).</summary>
    public Task RequestReconnectAsync() => SendToAllAsync("""{"event":"bts:request_reconnect","channel":"","data":""}""");

    protected override bool IsExpectedSubscription(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object
        && message.TryGetProperty("event", out var type) && type.ValueEquals("bts:subscribe")
        && message.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty("channel", out var channel) && channel.ValueEquals("order_book_btcusd");

    protected override IEnumerable<byte[]> AckFrames(JsonElement subscription, DateTimeOffset now) =>
    [
        """{"event":"bts:subscription_succeeded","channel":"order_book_btcusd","data":{}}"""u8.ToArray(),
    ];

    protected override byte[] SubscriptionErrorFrame(DateTimeOffset now) =>
        """{"event":"bts:error","channel":"","data":{"code":null,"message":"Incorrect JSON format."}}"""u8.ToArray();

    protected override byte[] QuoteFrame(decimal bid, decimal ask, DateTimeOffset now)
    {
        var micros = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
        return Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"data":{"timestamp":"{{micros / 1_000_000}}","microtimestamp":"{{micros}}","bids":[["{{bid}}","0.15180000"],["{{bid - 1}}","0.50600000"],["{{bid - 4}}","0.03000000"]],"asks":[["{{ask}}","0.07566000"],["{{ask + 1}}","0.25300000"],["{{ask + 4}}","1.01200000"]]},"channel":"order_book_btcusd","event":"data"}"""));
    }

    protected override byte[]? HeartbeatFrame(DateTimeOffset now) => null;

    protected override byte[] WrongTypesFrame() =>
        """{"data":{"timestamp":"1763647401","microtimestamp":"1763647401917361","bids":[[true,"0.1"]],"asks":"none"},"channel":"order_book_btcusd","event":"data"}"""u8.ToArray();

    protected override byte[]? ReplyTo(ReadOnlySpan<byte> message, DateTimeOffset now)
    {
        try
        {
            using var document = JsonDocument.Parse(message.ToArray());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("event", out var type) && type.ValueEquals("bts:heartbeat"))
            {
                Interlocked.Increment(ref _heartbeatsAnswered);
                return """{"event":"bts:heartbeat","channel":"","data":{"status":"success"}}"""u8.ToArray();
            }

            return null;
        }
        catch (JsonException)
        {
            return SubscriptionErrorFrame(now);
        }
    }
}
