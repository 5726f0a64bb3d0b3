namespace KxCollector.Net;

/// <summary>
/// Liveness, separate from data freshness: no bytes at all for the silence timeout means a dead link, so the socket
/// is aborted and the transport reconnects. One timer per connection that fires only when the deadline computed from
/// the last activity is due (at most once per timeout while data flows); the receive loop only stamps a timestamp.
/// </summary>
internal sealed class SilenceWatchdog : IDisposable
{
    private readonly WebSocketConnection _connection;
    private readonly TimeSpan _timeout;
    private readonly IWebSocketClient _client;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;

    public SilenceWatchdog(WebSocketConnection connection, TimeSpan timeout, IWebSocketClient client, TimeProvider time)
    {
        _connection = connection;
        _timeout = timeout;
        _client = client;
        _time = time;
        _timer = time.CreateTimer(static state => ((SilenceWatchdog)state!).Check(), this, timeout, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        var silentFor = _time.GetElapsedTime(_connection.LastActivity);
        if (silentFor < _timeout)
        {
            try
            {
                _timer.Change(_timeout - silentFor, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // The connection ended while this check ran.
            }

            return;
        }

        _client.OnSilent(silentFor, _timeout);
        _connection.Abort($"no frame for {silentFor.TotalSeconds:0.0} s");
    }
}
