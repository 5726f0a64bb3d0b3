using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using KxCollector.Fakes.Exchanges;

namespace KxCollector.Tests.Feeds;

/// <summary>The fakes hold clients to the venues' rules, so a feed that passes against them speaks the real protocol.</summary>
public sealed class FakeExchangeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("coinbase", """{"type":"subscribe","product_ids":["BTC-USD"],"channels":["ticker"]}""", "\"type\":\"error\"")]
    [InlineData("kraken", """{"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD"]},"req_id":1}""", "\"success\":false")]
    [InlineData("bitstamp", """{"event":"bts:subscribe","data":{"channel":"live_trades_btcusd"}}""", "\"event\":\"bts:error\"")]
    public async Task Fake_answers_a_subscription_the_venue_would_not_accept_with_its_error_and_closes(string venue, string subscription, string errorMarker)
    {
        await using var fake = await StartAsync(venue);
        using var client = await ConnectAsync(fake);

        await SendAsync(client, subscription);
        var messages = await ReceiveUntilCloseAsync(client);

        messages.Should().Contain(m => m.Contains(errorMarker, StringComparison.Ordinal));
        client.CloseStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
        fake.RejectedSubscriptions.Should().Be(1);
        fake.Subscriptions.Should().Be(0);
    }

    [Fact]
    public async Task Fake_closes_a_client_that_does_not_subscribe_within_the_window()
    {
        await using var fake = await FakeCoinbase.StartAsync();
        fake.SubscribeWindow = TimeSpan.FromMilliseconds(200);
        using var client = await ConnectAsync(fake);

        await ReceiveUntilCloseAsync(client);

        client.CloseStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
        fake.RejectedSubscriptions.Should().Be(1);
    }

    [Fact]
    public async Task Kraken_fake_greets_with_status_acknowledges_echoing_req_id_and_answers_ping_with_pong()
    {
        await using var fake = await FakeKraken.StartAsync();
        fake.SetQuote(100m, 101m);
        using var client = await ConnectAsync(fake);

        var status = await ReceiveAsync(client);
        await SendAsync(client, """{"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD"],"event_trigger":"bbo"},"req_id":42}""");
        var ack = await ReceiveAsync(client);
        var snapshot = await ReceiveAsync(client);
        await SendAsync(client, """{"method":"ping","req_id":7}""");
        var pong = await ReceiveUntilAsync(client, m => m.Contains("pong", StringComparison.Ordinal));

        status.Should().Contain("\"channel\":\"status\"");
        JsonDocument.Parse(ack).RootElement.GetProperty("req_id").GetInt32().Should().Be(42);
        JsonDocument.Parse(snapshot).RootElement.GetProperty("type").GetString().Should().Be("snapshot");
        JsonDocument.Parse(pong).RootElement.GetProperty("req_id").GetInt32().Should().Be(7);
    }

    [Fact]
    public async Task Bitstamp_fake_answers_bts_heartbeat()
    {
        await using var fake = await FakeBitstamp.StartAsync();
        using var client = await ConnectAsync(fake);
        await SendAsync(client, """{"event":"bts:subscribe","data":{"channel":"order_book_btcusd"}}""");
        (await ReceiveAsync(client)).Should().Contain("bts:subscription_succeeded");

        await SendAsync(client, """{"event":"bts:heartbeat"}""");

        (await ReceiveAsync(client)).Should().Be("""{"event":"bts:heartbeat","channel":"","data":{"status":"success"}}""");
        fake.HeartbeatsAnswered.Should().Be(1);
    }

    [Fact]
    public async Task Fake_refusing_connections_answers_the_upgrade_with_503()
    {
        await using var fake = await FakeBitstamp.StartAsync();
        fake.RefuseConnections = true;
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;

        var connect = () => client.ConnectAsync(fake.Url, CancellationToken.None);

        await connect.Should().ThrowAsync<WebSocketException>();
        ((int)client.HttpStatusCode).Should().Be(503);
        fake.ConnectionsRefused.Should().Be(1);
    }

    private static async Task<FakeExchange> StartAsync(string venue) => venue switch
    {
        "coinbase" => await FakeCoinbase.StartAsync(),
        "kraken" => await FakeKraken.StartAsync(),
        _ => await FakeBitstamp.StartAsync(),
    };

    private static async Task<ClientWebSocket> ConnectAsync(FakeExchange fake)
    {
        var client = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(fake.Url, timeout.Token);
        return client;
    }

    private static async Task SendAsync(ClientWebSocket client, string text)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    private static async Task<string> ReceiveAsync(ClientWebSocket client) =>
        await TryReceiveAsync(client) ?? throw new InvalidOperationException("closed before a message arrived");

    private static async Task<string> ReceiveUntilAsync(ClientWebSocket client, Func<string, bool> match)
    {
        while (true)
        {
            var message = await ReceiveAsync(client);
            if (match(message))
            {
                return message;
            }
        }
    }

    private static async Task<List<string>> ReceiveUntilCloseAsync(ClientWebSocket client)
    {
        var messages = new List<string>();
        while (await TryReceiveAsync(client) is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    private static async Task<string?> TryReceiveAsync(ClientWebSocket client)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }
}
