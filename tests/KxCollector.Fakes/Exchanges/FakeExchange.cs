using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Fakes.Exchanges;

/// <summary>
/// A local exchange WebSocket on 127.0.0.1 that speaks a venue's real frames (see docs/venues.md): it insists on the
/// venue's subscribe message, acknowledges it as the venue does, then streams quotes at a set rate with the prices
/// the test sets, plus the venue's heartbeats. Fault controls cover what real links do: drop, refuse, go silent,
/// send garbage, truncated or oddly typed frames, huge frames, and messages split across many WebSocket frames.
/// </summary>
public abstract class FakeExchange : IAsyncDisposable
{
    private static readonly TimeSpan SilencePoll = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentDictionary<int, FakeExchangeConnection> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly string _path;
    private WebApplication? _app;
    private decimal _bid;
    private decimal _ask;
    private bool _hasQuote;
    private double _quotesPerSecond = 10;
    private int _nextConnectionId;
    private int _connectionsAccepted;
    private int _connectionsRefused;
    private int _subscriptions;
    private int _rejectedSubscriptions;
    private int _peakOpenConnections;
    private long _clientMessages;
    private long _quotesSent;
    private volatile bool _silent;
    private volatile bool _refuseConnections;
    private volatile bool _quotesPaused;

    protected FakeExchange(string name, string path)
    {
        Name = name;
        _path = path;
    }

    public string Name { get; }

    /// <summary>The ws:// URL a client connects to; set once started.</summary>
    public Uri Url { get; private set; } = null!;

    public int Port => Url.Port;

    /// <summary>The time the frames are stamped with.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How often each subscribed client gets a quote message (with the current quote).</summary>
    public double QuotesPerSecond
    {
        get => Volatile.Read(ref _quotesPerSecond);
        set => Volatile.Write(ref _quotesPerSecond, value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value)));
    }

    /// <summary>How long a new client has to subscribe before it is sent an error and closed (Coinbase: 5 s).</summary>
    public TimeSpan SubscribeWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval of the venue's own heartbeats (Coinbase and Kraken send them; Bitstamp only answers).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Stops streamed quotes while heartbeats and answers go on: a calm market on a live link.</summary>
    public bool QuotesPaused
    {
        get => _quotesPaused;
        set => _quotesPaused = value;
    }

    /// <summary>Sends nothing at all on any connection, new ones included (no acks, heartbeats or answers), but keeps every socket open: a hung server.</summary>
    public bool Silent
    {
        get => _silent;
        set => _silent = value;
    }

    /// <summary>Answers WebSocket upgrades with HTTP 503 (an outage or maintenance) while set.</summary>
    public bool RefuseConnections
    {
        get => _refuseConnections;
        set => _refuseConnections = value;
    }

    public (decimal Bid, decimal Ask)? Quote
    {
        get
        {
            lock (_gate)
            {
                return _hasQuote ? (_bid, _ask) : null;
            }
        }
    }

    /// <summary>WebSocket upgrades accepted, whether or not they went on to subscribe.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _connectionsAccepted);

    public int ConnectionsRefused => Volatile.Read(ref _connectionsRefused);

    /// <summary>Connections that sent a valid subscribe message and were acknowledged.</summary>
    public int Subscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>Connections whose first message was not the venue's expected subscription (or came too late).</summary>
    public int RejectedSubscriptions => Volatile.Read(ref _rejectedSubscriptions);

    public int OpenConnections => _connections.Count;

    /// <summary>The most connections open at once (a handover briefly has two).</summary>
    public int PeakOpenConnections => Volatile.Read(ref _peakOpenConnections);

    /// <summary>Streamed quote messages sent, over all connections (what a soak run really delivered).</summary>
    public long QuotesSent => Interlocked.Read(ref _quotesSent);

    /// <summary>Messages received from clients after their subscription (heartbeats, pings).</summary>
    public long ClientMessages => Interlocked.Read(ref _clientMessages);

    public void SetQuote(decimal bid, decimal ask)
    {
        lock (_gate)
        {
            _bid = bid;
            _ask = ask;
            _hasQuote = true;
        }
    }

    /// <summary>Aborts every connection (no close frame): a crashed server or a cut link.</summary>
    public void DropAllConnections()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Abort();
        }
    }

    /// <summary>Closes every connection with a close frame: an orderly server restart.</summary>
    public async Task CloseAllConnectionsAsync()
    {
        foreach (var connection in _connections.Values)
        {
            try
            {
                await connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "going away", _stopping.Token);
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                // Already gone: nothing to close.
            }
        }
    }

    /// <summary>Sends one message to every subscribed connection, split into <paramref name="fragments"/> WebSocket frames.</summary>
    public async Task SendToAllAsync(byte[] message, int fragments = 1)
    {
        foreach (var connection in _connections.Values.Where(c => c.Subscribed))
        {
            try
            {
                await connection.SendAsync(message, fragments, _stopping.Token);
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                // The client went away meanwhile; the test sees that in its own counters.
            }
        }
    }

    public Task SendToAllAsync(string message, int fragments = 1) => SendToAllAsync(Encoding.UTF8.GetBytes(message), fragments);

    /// <summary>One quote message with these prices (the streamed quote is left as it is).</summary>
    public Task SendQuoteAsync(decimal bid, decimal ask, int fragments = 1) => SendToAllAsync(QuoteFrame(bid, ask, Time.GetUtcNow()), fragments);

    /// <summary>Bytes that are not JSON at all.</summary>
    public Task SendGarbageAsync() => SendToAllAsync("\u0001garbage{{{ not json ]]"u8.ToArray());

    /// <summary>A quote message cut off half-way, as a buggy proxy might pass on.</summary>
    public Task SendTruncatedQuoteAsync()
    {
        var frame = QuoteFrame(100m, 101m, Time.GetUtcNow());
        return SendToAllAsync(frame[..(frame.Length / 2)]);
    }

    /// <summary>A well-formed quote message whose prices have types no parser should accept (booleans, objects).</summary>
    public Task SendWrongTypesAsync() => SendToAllAsync(WrongTypesFrame());

    /// <summary>A valid quote message padded with an unknown field to about <paramref name="totalBytes"/> bytes.</summary>
    public Task SendLargeQuoteAsync(decimal bid, decimal ask, int totalBytes = 1024 * 1024, int fragments = 1)
    {
        var frame = QuoteFrame(bid, ask, Time.GetUtcNow());
        var prefix = "{\"padding\":\""u8;
        var middle = "\","u8;
        var padding = Math.Max(0, totalBytes - (prefix.Length + middle.Length + frame.Length - 1));
        var large = new byte[prefix.Length + padding + middle.Length + frame.Length - 1];
        prefix.CopyTo(large);
        large.AsSpan(prefix.Length, padding).Fill((byte)'x');
        middle.CopyTo(large.AsSpan(prefix.Length + padding));
        frame.AsSpan(1).CopyTo(large.AsSpan(prefix.Length + padding + middle.Length));
        return SendToAllAsync(large, fragments);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        DropAllConnections();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>True when <paramref name="message"/> is the subscription the real venue expects from this collector.</summary>
    protected abstract bool IsExpectedSubscription(JsonElement message);

    /// <summary>What the venue sends right after the upgrade, before any subscription (Kraken's status).</summary>
    protected virtual IEnumerable<byte[]> GreetingFrames(DateTimeOffset now) => [];

    /// <summary>What the venue answers a valid subscription with.</summary>
    protected abstract IEnumerable<byte[]> AckFrames(JsonElement subscription, DateTimeOffset now);

    /// <summary>What the venue answers a bad subscription with, before closing.</summary>
    protected abstract byte[] SubscriptionErrorFrame(DateTimeOffset now);

    protected abstract byte[] QuoteFrame(decimal bid, decimal ask, DateTimeOffset now);

    /// <summary>The venue's unprompted heartbeat; null for venues that only answer (Bitstamp).</summary>
    protected abstract byte[]? HeartbeatFrame(DateTimeOffset now);

    protected abstract byte[] WrongTypesFrame();

    /// <summary>The answer to a client message after subscription (a pong, a heartbeat reply), if any.</summary>
    protected virtual byte[]? ReplyTo(ReadOnlySpan<byte> message, DateTimeOffset now) => null;

    /// <summary>Binds Kestrel to 127.0.0.1 (port 0 picks a free one) and starts serving.</summary>
    protected async Task StartServingAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new Uri(address);
        Url = new UriBuilder("ws", http.Host, http.Port, _path).Uri;
    }

    private void RecordPeak()
    {
        var open = _connections.Count;
        var peak = Volatile.Read(ref _peakOpenConnections);
        while (open > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakOpenConnections, open, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }

    private static bool IsConnectionFailure(Exception ex) =>
        ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException;

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.HasValue ? context.Request.Path.Value : "/";
        if (!string.Equals(path, _path, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (_refuseConnections)
        {
            Interlocked.Increment(ref _connectionsRefused);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        Interlocked.Increment(ref _connectionsAccepted);
        using var connection = new FakeExchangeConnection(Interlocked.Increment(ref _nextConnectionId), socket, context);
        _connections[connection.Id] = connection;
        RecordPeak();
        using var end = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
        try
        {
            await ServeAsync(connection, end.Token);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            // Dropped by the client, by a fault control or by shutdown: all normal for a fake.
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            await end.CancelAsync();
        }
    }

    private async Task ServeAsync(FakeExchangeConnection connection, CancellationToken cancellationToken)
    {
        foreach (var frame in GreetingFrames(Time.GetUtcNow()))
        {
            await WhileSilentAsync(cancellationToken);
            await connection.SendAsync(frame, 1, cancellationToken);
        }

        var buffer = new MemoryStream();
        var receiving = ReceiveMessageAsync(connection.Socket, buffer, cancellationToken);
        var first = await Task.WhenAny(receiving, Task.Delay(SubscribeWindow, cancellationToken));
        var timedOut = first != receiving;
        var subscription = timedOut ? null : await receiving;
        if (subscription is null || !IsExpectedSubscriptionBytes(subscription))
        {
            if (subscription is null && !timedOut)
            {
                return;
            }

            Interlocked.Increment(ref _rejectedSubscriptions);
            await connection.SendAsync(SubscriptionErrorFrame(Time.GetUtcNow()), 1, cancellationToken);
            await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "subscribe first, as documented", cancellationToken);
            if (!timedOut)
            {
                receiving = ReceiveMessageAsync(connection.Socket, buffer, cancellationToken);
            }

            // Give the client a moment to answer the close, as a real server would, then hang up regardless.
            await Task.WhenAny(Quietly(receiving), Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
            return;
        }

        await WhileSilentAsync(cancellationToken);
        using (var document = JsonDocument.Parse(subscription))
        {
            foreach (var frame in AckFrames(document.RootElement, Time.GetUtcNow()))
            {
                await connection.SendAsync(frame, 1, cancellationToken);
            }
        }

        connection.Subscribed = true;
        Interlocked.Increment(ref _subscriptions);

        using var streams = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var quotes = StreamQuotesAsync(connection, streams.Token);
        var heartbeats = StreamHeartbeatsAsync(connection, streams.Token);
        try
        {
            await ReceiveClientMessagesAsync(connection, buffer, cancellationToken);
        }
        finally
        {
            await streams.CancelAsync();
            await Task.WhenAll(Quietly(quotes), Quietly(heartbeats));
        }
    }

    private bool IsExpectedSubscriptionBytes(byte[] message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            return IsExpectedSubscription(document.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task ReceiveClientMessagesAsync(FakeExchangeConnection connection, MemoryStream buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await ReceiveMessageAsync(connection.Socket, buffer, cancellationToken);
            if (message is null)
            {
                if (connection.Socket.State == WebSocketState.CloseReceived)
                {
                    await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                }

                return;
            }

            Interlocked.Increment(ref _clientMessages);
            if (!_silent && ReplyTo(message, Time.GetUtcNow()) is { } reply)
            {
                await connection.SendAsync(reply, 1, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Streams quotes on a schedule rather than one delay per message: timers tick at about a millisecond at best, so
    /// a soak at thousands of messages a second sends what is due in a burst each wake-up. A fake that fell behind
    /// (a loaded machine) drops the backlog beyond one second instead of flooding the client with it.
    /// </summary>
    private async Task StreamQuotesAsync(FakeExchangeConnection connection, CancellationToken cancellationToken)
    {
        // Pacing runs on the real clock whatever Time stamps the frames with.
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        var rate = QuotesPerSecond;
        long sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (QuotesPerSecond != rate)
            {
                // A new rate starts a new schedule, so a rate raised mid-stream does not owe the past at the new rate.
                rate = QuotesPerSecond;
                started = clock.GetTimestamp();
                sent = 0;
            }

            var due = (long)(clock.GetElapsedTime(started).TotalSeconds * rate) + 1;
            if (due - sent > rate + 1)
            {
                sent = due - (long)Math.Ceiling(rate);
            }

            while (sent < due && !cancellationToken.IsCancellationRequested)
            {
                sent++;
                if (!_silent && !_quotesPaused && Quote is { } quote)
                {
                    await connection.SendAsync(QuoteFrame(quote.Bid, quote.Ask, Time.GetUtcNow()), 1, cancellationToken);
                    Interlocked.Increment(ref _quotesSent);
                }
            }

            var untilNext = TimeSpan.FromSeconds((sent / rate) - clock.GetElapsedTime(started).TotalSeconds);
            await Task.Delay(untilNext > TimeSpan.FromMilliseconds(1) ? untilNext : TimeSpan.FromMilliseconds(1), cancellationToken);
        }
    }

    private async Task StreamHeartbeatsAsync(FakeExchangeConnection connection, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(HeartbeatInterval, cancellationToken);
            if (!_silent && HeartbeatFrame(Time.GetUtcNow()) is { } heartbeat)
            {
                await connection.SendAsync(heartbeat, 1, cancellationToken);
            }
        }
    }

    private async Task WhileSilentAsync(CancellationToken cancellationToken)
    {
        while (_silent)
        {
            await Task.Delay(SilencePoll, cancellationToken);
        }
    }

    /// <summary>Reads one whole message (all its fragments); null when the client closed.</summary>
    private static async Task<byte[]?> ReceiveMessageAsync(WebSocket socket, MemoryStream buffer, CancellationToken cancellationToken)
    {
        buffer.SetLength(0);
        var chunk = new byte[8192];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return buffer.ToArray();
            }
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
        }
    }
}
