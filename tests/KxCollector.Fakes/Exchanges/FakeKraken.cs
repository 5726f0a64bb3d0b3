using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KxCollector.Fakes.Exchanges;

/// <summary>
/// Kraken WebSocket v2 (docs/venues.md, "Kraken"), served at /v2: greets with <c>status</c>, expects the BTC/USD
/// <c>ticker</c> subscription with <c>event_trigger: "bbo"</c>, acknowledges it echoing <c>req_id</c>, then streams a
/// ticker snapshot and updates (prices as JSON numbers) and <c>{"channel":"heartbeat"}</c>; answers ping with pong.
/// </summary>
public sealed class FakeKraken : FakeExchange
{
    private int _snapshotSent;

    private FakeKraken()
        : base("kraken", "/v2")
    {
    }

    public static async Task<FakeKraken> StartAsync(int port = 0)
    {
        var fake = new FakeKraken();
        await fake.StartServingAsync(port);
        return fake;
    }

    protected override IEnumerable<byte[]> GreetingFrames(DateTimeOffset now) =>
    [
        """{"channel":"status","type":"update","data":[{"version":"2.0.10","system":"online","api_version":"v2","connection_id":11817281902354018845}]}"""u8.ToArray(),
    ];

    protected override bool IsExpectedSubscription(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object
        && message.TryGetProperty("method", out var method) && method.ValueEquals("subscribe")
        && message.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object
        && parameters.TryGetProperty("channel", out var channel) && channel.ValueEquals("ticker")
        && parameters.TryGetProperty("symbol", out var symbols) && symbols.ValueKind == JsonValueKind.Array
        && symbols.EnumerateArray().Any(s => s.ValueEquals("BTC/USD"))
        && parameters.TryGetProperty("event_trigger", out var trigger) && trigger.ValueEquals("bbo");

    protected override IEnumerable<byte[]> AckFrames(JsonElement subscription, DateTimeOffset now)
    {
        var requestId = subscription.TryGetProperty("req_id", out var id) ? id.GetRawText() : "null";
        return
        [
            Encoding.UTF8.GetBytes(string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"method":"subscribe","result":{"channel":"ticker","event_trigger":"bbo","snapshot":true,"symbol":"BTC/USD"},"success":true,"time_in":"{{IsoTime(now)}}","time_out":"{{IsoTime(now)}}","req_id":{{requestId}}}""")),
        ];
    }

    protected override byte[] SubscriptionErrorFrame(DateTimeOffset now) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"error":"Currency pair not supported","method":"subscribe","success":false,"symbol":"BTC/USDX","time_in":"{{IsoTime(now)}}","time_out":"{{IsoTime(now)}}"}"""));

    protected override byte[] QuoteFrame(decimal bid, decimal ask, DateTimeOffset now)
    {
        // The first ticker message on a subscription is the snapshot, the rest are updates (per fake, close enough).
        var type = Interlocked.Exchange(ref _snapshotSent, 1) == 0 ? "snapshot" : "update";
        return Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"channel":"ticker","type":"{{type}}","data":[{"symbol":"BTC/USD","bid":{{bid}},"bid_qty":1.21736913,"ask":{{ask}},"ask_qty":0.02551,"last":{{ask}},"volume":1583.83121722,"vwap":97911.3,"low":96490.1,"high":99215.0,"change":1785.6,"change_pct":1.84}]}"""));
    }

    protected override byte[] HeartbeatFrame(DateTimeOffset now) => """{"channel":"heartbeat"}"""u8.ToArray();

    protected override byte[] WrongTypesFrame() =>
        """{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":true,"bid_qty":1,"ask":{"price":1},"ask_qty":1}]}"""u8.ToArray();

    protected override byte[]? ReplyTo(ReadOnlySpan<byte> message, DateTimeOffset now)
    {
        try
        {
            using var document = JsonDocument.Parse(message.ToArray());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("method", out var method) && method.ValueEquals("ping"))
            {
                var requestId = root.TryGetProperty("req_id", out var id) ? id.GetRawText() : "null";
                return Encoding.UTF8.GetBytes(string.Create(
                    CultureInfo.InvariantCulture,
                    $$"""{"method":"pong","req_id":{{requestId}},"time_in":"{{IsoTime(now)}}","time_out":"{{IsoTime(now)}}"}"""));
            }
        }
        catch (JsonException)
        {
            return """{"error":"Malformed request","success":false}"""u8.ToArray();
        }

        return null;
    }

    private static string IsoTime(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
