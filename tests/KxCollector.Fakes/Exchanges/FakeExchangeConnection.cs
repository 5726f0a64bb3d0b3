using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace KxCollector.Fakes.Exchanges;

/// <summary>One client's WebSocket on a fake exchange. Sends are serialised: a message's fragments never interleave with another's.</summary>
internal sealed class FakeExchangeConnection : IDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly HttpContext _context;

    public FakeExchangeConnection(int id, WebSocket socket, HttpContext context)
    {
        Id = id;
        Socket = socket;
        _context = context;
    }

    public int Id { get; }

    public WebSocket Socket { get; }

    public bool Subscribed { get; set; }

    /// <summary>Sends one message, split into <paramref name="fragments"/> WebSocket frames (continuation frames).</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> message, int fragments, CancellationToken cancellationToken)
    {
        fragments = Math.Clamp(fragments, 1, Math.Max(1, message.Length));
        var size = (message.Length + fragments - 1) / fragments;
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (message.Length == 0)
            {
                await Socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                return;
            }

            for (var offset = 0; offset < message.Length; offset += size)
            {
                var chunk = message.Slice(offset, Math.Min(size, message.Length - offset));
                await Socket.SendAsync(chunk, WebSocketMessageType.Text, endOfMessage: offset + chunk.Length == message.Length, cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Drops the TCP connection without a close frame, as a crashed server or a cut cable would.</summary>
    public void Abort()
    {
        try
        {
            _context.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The request ended between listing the connections and this call: the connection is already gone.
        }
    }

    /// <summary>Sends a close frame (without waiting for the answer, which the receive loop gets).</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await Socket.CloseOutputAsync(status, description, cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public void Dispose() => _sendLock.Dispose();
}
