using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using KxCollector.Net;

namespace KxCollector.Benchmarks;

/// <summary>
/// The per-message cost of the receive call as each loop makes it, over a real loopback WebSocket pair: 1,000
/// Kalshi-delta-sized messages per operation. Old feeds: a cancellable token per receive; old Kalshi stream: a
/// per-receive <c>CancelAfter</c> silence timer and a linked token; the one transport: no token (shutdown aborts the
/// socket, registered once per connection) and a timestamp for the watchdog. The sender runs in the same process,
/// so the figures include its cost too; compare the ratios, not the absolute times.
/// </summary>
[MemoryDiagnoser]
public class ReceivePathBenchmarks
{
    private const int Messages = 1000;
    private static readonly byte[] Message = new byte[220];

    private Socket _listener = null!;
    private WebSocket _server = null!;
    private WebSocket _client = null!;
    private CancellationTokenSource _stop = null!;
    private WebSocketConnection _connection = null!;
    private readonly byte[] _buffer = new byte[16 * 1024];

    [GlobalSetup]
    public void Setup()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(_listener.LocalEndPoint!);
        var server = _listener.Accept();
        server.NoDelay = true;
        _server = WebSocket.CreateFromStream(new NetworkStream(server, ownsSocket: true), new WebSocketCreationOptions { IsServer = true });
        _client = WebSocket.CreateFromStream(new NetworkStream(client, ownsSocket: true), new WebSocketCreationOptions { IsServer = false });
        _stop = new CancellationTokenSource();
        _connection = new WebSocketConnection(_client, TimeProvider.System);
        "{\"type\":\"orderbook_delta\"}"u8.CopyTo(Message);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        _server.Dispose();
        _listener.Dispose();
        _stop.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<int> Old_feed_receive()
    {
        var send = SendAsync();
        var total = 0;
        for (var i = 0; i < Messages; i++)
        {
            var result = await _client.ReceiveAsync(_buffer.AsMemory(), _stop.Token);
            _connection.MarkActivity();
            total += result.Count;
        }

        await send;
        return total;
    }

    [Benchmark]
    public async Task<int> Old_kalshi_receive()
    {
        var send = SendAsync();
        var total = 0;
        using var silence = new CancellationTokenSource(Timeout.InfiniteTimeSpan, TimeProvider.System);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, silence.Token);
        for (var i = 0; i < Messages; i++)
        {
            silence.CancelAfter(TimeSpan.FromSeconds(20));
            var result = await _client.ReceiveAsync(_buffer.AsMemory(), linked.Token);
            total += result.Count;
        }

        await send;
        return total;
    }

    [Benchmark]
    public async Task<int> Transport_receive()
    {
        var send = SendAsync();
        var total = 0;
        for (var i = 0; i < Messages; i++)
        {
            var result = await _client.ReceiveAsync(_buffer.AsMemory(), CancellationToken.None);
            _connection.MarkActivity();
            total += result.Count;
        }

        await send;
        return total;
    }

    private async Task SendAsync()
    {
        for (var i = 0; i < Messages; i++)
        {
            await _server.SendAsync(Message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
    }
}
