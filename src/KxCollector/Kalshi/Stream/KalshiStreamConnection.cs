using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Threading.Channels;
using KxCollector.Configuration;
using KxCollector.Kalshi.Signing;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Stream;

/// <summary>
/// One authenticated Kalshi WebSocket, kept up until disposed: connect with freshly signed upgrade headers
/// (path /trade-api/ws/v2), subscribe the markets it is given, apply what arrives to the <see cref="StreamBoard"/>,
/// and on any failure forget its markets' stream state, back off (full jitter) and connect again, so books come
/// back only from new snapshots. Two loops per session: the receive loop (frames, sequence checks) and the control
/// loop (the only sender: subscription changes, re-snapshots, liveness probes).
/// </summary>
internal sealed partial class KalshiStreamConnection : IAsyncDisposable
{
    private static readonly TimeSpan ControlInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StableSession = TimeSpan.FromSeconds(60);

    private readonly KalshiOptions _options;
    private readonly KalshiSigner _signer;
    private readonly StreamBoard _board;
    private readonly StreamRecorder _recorder;
    private readonly StreamStats _stats;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _lifecycle;
    private readonly Lock _gate = new();
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
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
    }

    public int Number { get; }

    public bool IsConnected => _connected;

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

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

        _signal.Writer.TryWrite(true);
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

    private async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            try
            {
                await SessionAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or HttpRequestException)
            {
                LogConnectionLost(_logger, Number, ex.Message);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                // A bug in frame handling must not stop the host (the ticks run in this process): log it, start afresh.
                LogSessionCrashed(_logger, Number, ex);
            }
            finally
            {
                EndSession();
            }

            attempt = _time.GetElapsedTime(started) >= StableSession ? 0 : attempt + 1;
            var delay = ReconnectDelay(attempt, Random.Shared.NextDouble());
            LogReconnecting(_logger, Number, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, _time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Full jitter: uniform in [0, min(max, base·2^(attempt−1))], so a fleet cut off together does not return together.</summary>
    internal TimeSpan ReconnectDelay(int attempt, double random01)
    {
        var ceiling = Math.Min(
            _options.WebSocketReconnectMaxDelay.TotalMilliseconds,
            _options.WebSocketReconnectBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromMilliseconds(ceiling * Math.Clamp(random01, 0, 1));
    }

    private async Task SessionAsync(CancellationToken stop)
    {
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(10);

        // A fresh timestamp and signature for every connect: Kalshi signs the upgrade like a REST GET of the WS path.
        var now = _time.GetUtcNow();
        var timestampMs = now.ToUnixTimeMilliseconds();
        socket.Options.SetRequestHeader(KalshiSigner.KeyHeader, _signer.KeyId);
        socket.Options.SetRequestHeader(KalshiSigner.TimestampHeader, timestampMs.ToString(CultureInfo.InvariantCulture));
        socket.Options.SetRequestHeader(KalshiSigner.SignatureHeader, _signer.Sign(timestampMs, "GET", _options.WebSocketUrl.AbsolutePath));

        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            connectTimeout.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(_options.WebSocketUrl, connectTimeout.Token);
        }

        BeginSession();
        _connected = true;
        _stats.Connected();
        LogConnected(_logger, Number, _options.WebSocketUrl, _signer.RedactedKeyId);

        using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var receive = ReceiveLoopAsync(socket, session.Token);
        var control = ControlLoopAsync(socket, session.Token);
        var first = await Task.WhenAny(receive, control);
        await session.CancelAsync();
        try
        {
            await Task.WhenAll(receive, control);
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested)
        {
            // The other loop was stopped by us; the first one's outcome is rethrown below.
        }

        await first;
        if (!stop.IsCancellationRequested)
        {
            throw new WebSocketException("the stream ended");
        }
    }

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

    private async Task ReceiveLoopAsync(ClientWebSocket socket, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var silence = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, silence.Token);
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    silence.CancelAfter(_options.WebSocketSilenceTimeout);
                    try
                    {
                        result = await socket.ReceiveAsync(buffer.AsMemory(length), linked.Token);
                    }
                    catch (OperationCanceledException) when (silence.IsCancellationRequested && !token.IsCancellationRequested)
                    {
                        LogSilent(_logger, Number, _options.WebSocketSilenceTimeout.TotalSeconds);
                        throw new TimeoutException($"no frame for {_options.WebSocketSilenceTimeout.TotalSeconds:F0} s");
                    }

                    length += result.Count;
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        LogClosedByServer(_logger, Number, socket.CloseStatus?.ToString() ?? "none", socket.CloseStatusDescription ?? string.Empty);
                        return;
                    }
                }
                while (!result.EndOfMessage);

                Volatile.Write(ref _lastFrameTimestamp, _time.GetTimestamp());
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    OnFrame(buffer.AsSpan(0, length), _time.GetUtcNow());
                }
            }
        }
        catch (TimeoutException ex)
        {
            throw new WebSocketException(ex.Message, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ControlLoopAsync(ClientWebSocket socket, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            foreach (var command in NextCommands(_time.GetUtcNow()))
            {
                await socket.SendAsync(command, WebSocketMessageType.Text, endOfMessage: true, token);
            }

            using var either = CancellationTokenSource.CreateLinkedTokenSource(token);
            var timer = Task.Delay(ControlInterval, _time, either.Token);
            var signal = _signal.Reader.WaitToReadAsync(either.Token).AsTask();
            await Task.WhenAny(timer, signal);
            await either.CancelAsync();
            _signal.Reader.TryRead(out _);
        }

        token.ThrowIfCancellationRequested();
    }
}
