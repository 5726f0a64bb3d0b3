using System.Net.WebSockets;

namespace KxCollector.Net;

internal sealed partial class ReconnectingWebSocket
{
    private readonly ReceiveBuffer _buffer;

    /// <summary>
    /// Reads messages until the connection ends, reassembling fragments into one growing pooled buffer. Returns why
    /// the venue ended it; throws when the socket fails or is aborted (silence, handover, shutdown). The receive is
    /// not given a cancellation token: shutdown aborts the socket (registered once per connection), which spares a
    /// registration per message.
    /// </summary>
    private async Task<string> ReceiveAsync(WebSocketConnection connection, CancellationToken stop)
    {
        var socket = connection.Socket;
        var length = 0;
        var oversized = false;
        while (true)
        {
            if (length == _buffer.Length && !_buffer.TryGrow(length))
            {
                // Too big to keep: read the rest into the same space and throw it away, keeping the connection.
                oversized = true;
                length = 0;
            }

            var result = await socket.ReceiveAsync(_buffer.Memory[length..], CancellationToken.None);
            connection.MarkActivity();
            if (result.MessageType == WebSocketMessageType.Close)
            {
                var reason = $"closed by the venue ({socket.CloseStatus} {socket.CloseStatusDescription})".TrimEnd();
                _client.OnClosedByPeer(socket.CloseStatus?.ToString() ?? "none", socket.CloseStatusDescription ?? string.Empty);
                await connection.CloseAsync("closing in reply", stop);
                return reason;
            }

            length += result.Count;
            if (!result.EndOfMessage)
            {
                continue;
            }

            var receivedAt = _time.GetUtcNow();
            if (oversized)
            {
                oversized = false;
                _client.OnMessageTooLarge(_settings.MaxMessageBytes, receivedAt);
            }
            else if (_client.OnMessage(_buffer.Span[..length], result.MessageType, receivedAt) == MessageAction.HandOver && _handover is null)
            {
                _handover = HandOverAsync(connection, stop);
            }

            length = 0;
            _buffer.ShrinkAfterLargeMessage();
        }
    }
}
