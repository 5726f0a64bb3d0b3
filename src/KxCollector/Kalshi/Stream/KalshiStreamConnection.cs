using System.Globalization;
using System.Net.WebSockets;
using KxCollector.Configuration;
using KxCollector.Kalshi.Signing;
using KxCollector.Net;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Stream;

/// <summary>
/// One authenticated Kalshi WebSocket, kept up until disposed: connect with freshly signed upgrade headers
/// (path /trade-api/ws/v2), subscribe the markets it is given, apply what arrives to the <see cref="StreamBoard"/>,
/// and on any failure forget its markets' stream state, back off (full jitter) and connect again, so books come
/// back only from new snapshots. The one transport (<see cref="ReconnectingWebSocket"/>) runs the receive loop
/// (frames, sequence checks, here on its thread) and, beside it, this connection's control loop (subscription
/// changes, re-snapshots, liveness probes), whose failure ends the session.
/// </summary>
internal sealed partial class KalshiStreamConnection : IAsyncDisposable, IWebSocketClient
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StableSession = TimeSpan.FromSeconds(60);

    // Kalshi's messages are small (a snapshot of one market's book); a message this large is not one of them.
    private const int MaxMessageBytes = 16 * 1024 * 1024;

    private readonly KalshiOptions _options;
    private readonly KalshiSigner _signer;
    private readonly StreamBoard _board;
    private readonly StreamRecorder _recorder;
    private readonly StreamStats _stats;
    private readonly TickerNames _tickerNames = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _lifecycle;
    private readonly Lock _gate = new();
    private readonly WakeSignal _signal = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ReconnectingWebSocket _socket;
    private readonly LogThrottle _malformedLog;
    private HashSet<string> _wanted = new(StringComparer.Ordinal);
    private StreamSubscriptions? _subscriptions;
    private Dictionary<long, long> _lastSeq = [];
    private bool _resnapshot;
    private bool _restartBooks;
    private HashSet<long> _endedSids = [];
    private long _lastFrameTimestamp;
    private long _lastProbeTimestamp;
    private Task? _run;
    private volatile bool _connected;

    public KalshiStreamConnection(
        int number,
        bool lifecycle,
        KalshiOptions options,
        KalshiSigner signer,
        StreamBoard board,
        StreamRecorder recorder,
        StreamStats stats,
        TimeProvider time,
        ILogger logger)
    {
        Number = number;
        _lifecycle = lifecycle;
        _options = options;
        _signer = signer;
        _board = board;
        _recorder = recorder;
        _stats = stats;
        _time = time;
        _logger = logger;
        _socket = new ReconnectingWebSocket(Settings(options), this, time);
        _malformedLog = new LogThrottle(time, LogThrottle.OncePerMinute);
    }

    public int Number { get; }

    public bool IsConnected => _connected;

    public void Start() => _run = Task.Run(() => _socket.RunAsync(_stop.Token));

    /// <summary>Sets the markets this connection should cover (any thread); the control loop applies it.</summary>
    public void SetMarkets(IEnumerable<string> markets)
    {
        var wanted = markets.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            if (wanted.SetEquals(_wanted))
            {
                return;
            }

            _wanted = wanted;
        }

        _signal.Notify();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }

        _stop.Dispose();
    }

    /// <summary>The stream's backoff: full jitter under a ceiling doubling from the base delay to the maximum.</summary>
    internal static BackoffPolicy ReconnectPolicy(KalshiOptions options) =>
        new(options.WebSocketReconnectBaseDelay, options.WebSocketReconnectMaxDelay);

    private static WebSocketSettings Settings(KalshiOptions options) => new()
    {
        Url = options.WebSocketUrl,
        HandshakeTimeout = ConnectTimeout,
        SilenceTimeout = options.WebSocketSilenceTimeout,
        Backoff = ReconnectPolicy(options),
        StablePeriod = StableSession,
        MaxMessageBytes = MaxMessageBytes,
        InitialBufferBytes = 64 * 1024,
        KeepAliveInterval = TimeSpan.FromSeconds(10),
    };

    /// <summary>A fresh timestamp and signature for every connect: Kalshi signs the upgrade like a REST GET of the WS path.</summary>
    void IWebSocketClient.ConfigureConnect(ClientWebSocketOptions options)
    {
        var timestampMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        options.SetRequestHeader(KalshiSigner.KeyHeader, _signer.KeyId);
        options.SetRequestHeader(KalshiSigner.TimestampHeader, timestampMs.ToString(CultureInfo.InvariantCulture));
        options.SetRequestHeader(KalshiSigner.SignatureHeader, _signer.Sign(timestampMs, "GET", _options.WebSocketUrl.AbsolutePath));
    }

    void IWebSocketClient.OnConnected(WebSocketConnection connection, bool handover)
    {
        BeginSession();
        _connected = true;
        _stats.Connected();
        LogConnected(_logger, Number, _options.WebSocketUrl, _signer.RedactedKeyId);
    }

    Task IWebSocketClient.RunWhileConnectedAsync(WebSocketConnection connection, CancellationToken cancellationToken) =>
        ControlLoopAsync(connection, cancellationToken);

    MessageAction IWebSocketClient.OnMessage(ReadOnlySpan<byte> message, WebSocketMessageType type, DateTimeOffset receivedAt)
    {
        Volatile.Write(ref _lastFrameTimestamp, _time.GetTimestamp());
        if (type == WebSocketMessageType.Text)
        {
            OnFrame(message, receivedAt);
        }

        return MessageAction.Continue;
    }

    void IWebSocketClient.OnMessageTooLarge(int limit, DateTimeOffset receivedAt) => OnMalformed($"message larger than {limit} bytes");

    void IWebSocketClient.OnConnecting(Uri url)
    {
    }

    void IWebSocketClient.OnConnectFailed(string reason, bool handover)
    {
        LogConnectionLost(_logger, Number, reason);
        EndSession();
    }

    void IWebSocketClient.OnConnectionLost(string reason, TimeSpan uptime)
    {
        LogConnectionLost(_logger, Number, reason);
        EndSession();
    }

    void IWebSocketClient.OnHandoverRequested()
    {
    }

    void IWebSocketClient.OnHandedOver(TimeSpan uptime)
    {
    }

    void IWebSocketClient.OnReconnectScheduled(TimeSpan delay, int attempt) => LogReconnecting(_logger, Number, delay.TotalSeconds);

    void IWebSocketClient.OnSilent(TimeSpan silentFor, TimeSpan limit) => LogSilent(_logger, Number, limit.TotalSeconds);

    void IWebSocketClient.OnClosedByPeer(string status, string description) => LogClosedByServer(_logger, Number, status, description);

    // A bug in frame handling must not stop the host (the ticks run in this process): logged, and the session starts afresh.
    void IWebSocketClient.OnUnexpectedFailure(Exception exception, string where) => LogSessionCrashed(_logger, Number, exception);

    void IWebSocketClient.OnStopped() => EndSession();

    /// <summary>A new session starts with no subscription and no sequence: everything comes fresh.</summary>
    internal void BeginSession()
    {
        lock (_gate)
        {
            _subscriptions = new StreamSubscriptions(_lifecycle);
            _lastSeq = [];
            _resnapshot = false;
            _restartBooks = false;
            _endedSids = [];
            _lastProbeTimestamp = 0;
        }

        Volatile.Write(ref _lastFrameTimestamp, _time.GetTimestamp());
    }

    /// <summary>
    /// What the control loop sends now: subscription changes toward the wanted markets, a re-snapshot after a
    /// sequence break, a probe when the link has been quiet. Markets dropped from the subscriptions are forgotten.
    /// </summary>
    internal List<byte[]> NextCommands(DateTimeOffset now)
    {
        var commands = new List<byte[]>();
        var dropped = new List<string>();
        lock (_gate)
        {
            var subscriptions = _subscriptions ?? throw new InvalidOperationException("no session");
            if (subscriptions.HasOverdue(now, _options.WebSocketSilenceTimeout))
            {
                throw new WebSocketException($"Kalshi left a command unanswered for {_options.WebSocketSilenceTimeout.TotalSeconds:F0} s");
            }

            if (subscriptions.TakeOverdueSnapshot(now, _options.WebSocketSilenceTimeout))
            {
                LogSnapshotUnanswered(_logger, Number, _options.WebSocketSilenceTimeout.TotalSeconds);
                _restartBooks = true;
            }

            if (_restartBooks)
            {
                // The books get fresh snapshots from a new subscription of their channel; the connection stays.
                _restartBooks = false;
                _resnapshot = false;
                var sid = subscriptions.SidOf(StreamSubscriptions.BookChannel);
                if (subscriptions.Restart(StreamSubscriptions.BookChannel, now) is { } unsubscribe)
                {
                    EndedSubscription(sid!.Value, StreamSubscriptions.BookChannel);
                    commands.Add(unsubscribe);
                }
            }

            commands.AddRange(subscriptions.Reconcile(_wanted, now, dropped));
            AddIndexCommand(subscriptions, now, commands);
            if (_resnapshot)
            {
                _resnapshot = false;
                if (subscriptions.SnapshotCommand(now) is { } snapshot)
                {
                    commands.Add(snapshot);
                    _stats.SnapshotRequested();
                }
            }

            // Quiet markets send nothing for minutes; a probe's answer tells a quiet link from a dead one.
            var half = _options.WebSocketSilenceTimeout / 2;
            var quiet = _time.GetElapsedTime(Volatile.Read(ref _lastFrameTimestamp)) >= half;
            if (quiet && (_lastProbeTimestamp == 0 || _time.GetElapsedTime(_lastProbeTimestamp) >= half))
            {
                _lastProbeTimestamp = _time.GetTimestamp();
                commands.Add(subscriptions.ProbeCommand(now));
            }
        }

        foreach (var ticker in dropped)
        {
            _board.Forget(ticker);
        }

        return commands;
    }

    /// <summary>The session is over: nothing it delivered is current any more.</summary>
    internal void EndSession()
    {
        List<string> markets;
        lock (_gate)
        {
            markets = _subscriptions?.Markets.ToList() ?? [];
            _subscriptions = null;
            _lastSeq = [];
        }

        foreach (var ticker in markets)
        {
            _board.Forget(ticker);
        }

        OfficialIndex?.OnSessionEnded();
        if (_connected)
        {
            _connected = false;
            _stats.Disconnected();
        }
    }

    /// <summary>
    /// How often the control loop looks at the clock when nothing signals it. Everything that signals (a change of the
    /// tracked markets, a gap, an error, an ack) wakes it at once; the clock only matters for deadlines of half the
    /// silence timeout and more (probes, unanswered commands, refused retries). An eighth of the silence timeout,
    /// between 250 ms and 1 s, finds them in time while a connection wakes once a second, not four times, at 20 s.
    /// </summary>
    internal static TimeSpan ControlIntervalFor(TimeSpan silenceTimeout) =>
        TimeSpan.FromTicks(Math.Clamp(silenceTimeout.Ticks / 8, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromSeconds(1).Ticks));

    private async Task ControlLoopAsync(WebSocketConnection connection, CancellationToken token)
    {
        var interval = ControlIntervalFor(_options.WebSocketSilenceTimeout);
        while (!token.IsCancellationRequested)
        {
            foreach (var command in NextCommands(_time.GetUtcNow()))
            {
                await connection.SendAsync(command, token);
            }

            await _signal.WaitAsync(interval, _time, token);
        }

        token.ThrowIfCancellationRequested();
    }
}
