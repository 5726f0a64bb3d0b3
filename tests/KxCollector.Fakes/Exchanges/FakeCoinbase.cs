using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KxCollector.Fakes.Exchanges;

/// <summary>
/// Coinbase Exchange's public feed (docs/venues.md, "Coinbase"): expects
/// <c>{"type":"subscribe","product_ids":["BTC-USD"],"channels":["ticker","heartbeat"]}</c> within 5 s, answers with
/// <c>subscriptions</c>, then streams <c>ticker</c> (prices as strings) and a <c>heartbeat</c> a second.
/// </summary>
public sealed class FakeCoinbase : FakeExchange
{
    private long _sequence = 112934482151;
    private long _tradeId = 812239402;

    private FakeCoinbase()
        : base("coinbase", "/")
    {
    }

    public static async Task<FakeCoinbase> StartAsync(int port = 0)
    {
        var fake = new FakeCoinbase();
        await fake.StartServingAsync(port);
        return fake;
    }

    protected override bool IsExpectedSubscription(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object
        && message.TryGetProperty("type", out var type) && type.ValueEquals("subscribe")
        && message.TryGetProperty("product_ids", out var products) && products.ValueKind == JsonValueKind.Array
        && products.EnumerateArray().Any(p => p.ValueEquals("BTC-USD"))
        && message.TryGetProperty("channels", out var channels) && channels.ValueKind == JsonValueKind.Array
        && HasChannel(channels, "ticker") && HasChannel(channels, "heartbeat");

    protected override IEnumerable<byte[]> AckFrames(JsonElement subscription, DateTimeOffset now) =>
    [
        """{"type":"subscriptions","channels":[{"name":"ticker","product_ids":["BTC-USD"],"account_ids":null},{"name":"heartbeat","product_ids":["BTC-USD"],"account_ids":null}]}"""u8.ToArray(),
    ];

    protected override byte[] SubscriptionErrorFrame(DateTimeOffset now) =>
        """{"type":"error","message":"Failed to subscribe","reason":"BTC-USD ticker and heartbeat channels expected"}"""u8.ToArray();

    protected override byte[] QuoteFrame(decimal bid, decimal ask, DateTimeOffset now) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"type":"ticker","sequence":{{Interlocked.Increment(ref _sequence)}},"product_id":"BTC-USD","price":"{{ask}}","open_24h":"97020.01","volume_24h":"9981.41293842","low_24h":"96510.00","high_24h":"99230.55","volume_30d":"287019.99120431","best_bid":"{{bid}}","best_bid_size":"0.00433510","best_ask":"{{ask}}","best_ask_size":"0.31245000","side":"buy","time":"{{IsoTime(now)}}","trade_id":{{Interlocked.Increment(ref _tradeId)}},"last_size":"0.00041"}"""));

    protected override byte[] HeartbeatFrame(DateTimeOffset now) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"type":"heartbeat","last_trade_id":{{Interlocked.Read(ref _tradeId)}},"product_id":"BTC-USD","sequence":{{Interlocked.Increment(ref _sequence)}},"time":"{{IsoTime(now)}}"}"""));

    protected override byte[] WrongTypesFrame() =>
        """{"type":"ticker","sequence":1,"product_id":"BTC-USD","price":"1","best_bid":true,"best_ask":{"price":"1"},"time":"2026-11-20T14:03:21.917361Z"}"""u8.ToArray();

    private static bool HasChannel(JsonElement channels, string name) =>
        channels.EnumerateArray().Any(c => c.ValueEquals(name)
            || (c.ValueKind == JsonValueKind.Object && c.TryGetProperty("name", out var n) && n.ValueEquals(name)));

    /// <summary>Coinbase's microsecond ISO-8601 time, e.g. 2026-11-20T14:03:21.917361Z.</summary>
    private static string IsoTime(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
