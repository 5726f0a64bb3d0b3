using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using KxCollector.Fakes.Exchanges;
using KxCollector.Net;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Net;

/// <summary>
/// The one transport against a real WebSocket server on loopback (the Kraken fake: it fragments, goes silent, drops
/// and refuses on request), with a recording client in place of a venue: reassembly, the size limit, the silence
/// watchdog, and the backoff that starts over after a stable connection.
/// </summary>
public sealed class ReconnectingWebSocketTests : IAsyncLifetime
{
    private static readonly byte[] KrakenSubscribe =
        """{"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD"],"event_trigger":"bbo"},"req_id":1}"""u8.ToArray();

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly RecordingClient _client = new();
    private readonly CancellationTokenSource _stop = new();
    private FakeExchange _fake = null!;
    private Task? _run;

    public async Task InitializeAsync()
    {
        _fake = await FakeKraken.StartAsync();
        _fake.QuotesPaused = true;
        _fake.HeartbeatInterval = TimeSpan.FromHours(1);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        }

        _client.Stopped.Should().BeTrue("the loop reports its end");
        _stop.Dispose();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task A_message_in_many_fragments_longer_than_the_first_buffer_arrives_whole_once()
    {
        await StartAsync(Settings() with { InitialBufferBytes = 1024 });
        var message = Marker(40_000);

        await _fake.SendToAllAsync(message, fragments: 9);
        await _fake.SendToAllAsync("{\"after\":1}");

        await Poll.UntilAsync(() => _client.Texts.Contains("{\"after\":1}"), Deadline, Describe);
        _client.Texts.Should().ContainSingle(t => t.StartsWith("{\"marker\":", StringComparison.Ordinal)).Which.Should().Be(message);
        _client.Types.Should().OnlyContain(t => t == WebSocketMessageType.Text);
        _fake.ConnectionsAccepted.Should().Be(1);
    }

    [Fact]
    public async Task A_message_over_the_limit_is_read_to_its_end_reported_and_skipped_and_the_connection_stays()
    {
        await StartAsync(Settings() with { InitialBufferBytes = 1024, MaxMessageBytes = 8 * 1024 });

        await _fake.SendToAllAsync(Marker(50_000), fragments: 5);
        await _fake.SendToAllAsync(Marker(8 * 1024));
        await _fake.SendToAllAsync("{\"after\":1}");

        await Poll.UntilAsync(() => _client.Texts.Contains("{\"after\":1}"), Deadline, Describe);
        _client.TooLarge.Should().Equal(8 * 1024);
        _client.Texts.Should().Contain(Marker(8 * 1024), "a message exactly at the limit is kept");
        _client.Texts.Should().NotContain(t => t.Length > 8 * 1024, "none of the oversized message reaches the client");
        _fake.ConnectionsAccepted.Should().Be(1, "the oversized message costs no reconnect");
        _client.Lost.Should().BeEmpty();
    }

    [Fact]
    public async Task A_silent_link_is_aborted_after_the_silence_timeout_and_reconnected()
    {
        await StartAsync(Settings() with { SilenceTimeout = TimeSpan.FromSeconds(1) });
        _fake.Silent = true;

        await Poll.UntilAsync(() => _client.Silences.Count >= 1 && _client.Lost.Count >= 1, Deadline, Describe);
        _client.Silences[0].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        _client.Lost[0].Should().StartWith("no frame for");
        _fake.Silent = false;

        await Poll.UntilAsync(() => _fake.Subscriptions >= 2, Deadline, Describe);
        _client.Connected.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task A_link_that_keeps_talking_is_never_called_silent()
    {
        await StartAsync(Settings() with { SilenceTimeout = TimeSpan.FromSeconds(1) });

        for (var i = 0; i < 12; i++)
        {
            await _fake.SendToAllAsync($"{{\"tick\":{i}}}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        await Poll.UntilAsync(() => _client.Texts.Contains("{\"tick\":11}"), Deadline, Describe);
        _client.Silences.Should().BeEmpty("frames every 250 ms keep a 1 s watchdog quiet");
        _fake.ConnectionsAccepted.Should().Be(1);
    }

    [Fact]
    public async Task The_backoff_grows_while_links_die_young_and_starts_over_after_a_stable_one()
    {
        var stable = TimeSpan.FromSeconds(2);
        await StartAsync(Settings() with { StablePeriod = stable, Backoff = new BackoffPolicy(TimeSpan.FromMilliseconds(40), TimeSpan.FromSeconds(1)) });

        for (var drop = 1; drop <= 3; drop++)
        {
            _fake.DropAllConnections();
            await Poll.UntilAsync(() => _fake.Subscriptions > drop, Deadline, Describe);
        }

        await Task.Delay(stable + TimeSpan.FromMilliseconds(300));
        _fake.DropAllConnections();
        await Poll.UntilAsync(() => _fake.Subscriptions > 4, Deadline, Describe);

        _client.Scheduled.Select(s => s.Attempt).Should().Equal([1, 2, 3, 1], "attempts count up while links die young, and start over after a stable one");
        _client.Scheduled.Select(s => s.Delay.TotalMilliseconds).Should().Equal([40, 80, 160, 40], "with the jitter pinned at its top, each delay is its ceiling");
    }

    [Fact]
    public async Task A_refused_upgrade_is_a_failed_connect_retried_with_backoff_until_the_server_takes_it()
    {
        _fake.RefuseConnections = true;
        await StartAsync(Settings(), waitForSubscription: false);

        await Poll.UntilAsync(() => _client.ConnectFailures.Count >= 2, Deadline, Describe);
        _fake.RefuseConnections = false;

        await Poll.UntilAsync(() => _fake.Subscriptions == 1, Deadline, Describe);
        _client.Scheduled.Select(s => s.Attempt).Should().StartWith([1, 2]);
    }

    [Fact]
    public async Task A_host_that_refuses_the_connection_is_an_ordinary_failed_connect_not_an_unexpected_failure()
    {
        // Port 9 (discard) on loopback is closed: each connect is refused at once, as with Kalshi down. That must be a
        // message and a backoff, never an exception report (its stack trace would be formatted every attempt).
        var transport = new ReconnectingWebSocket(Settings(), _client, TimeProvider.System, random: () => 1.0);
        _run = Task.Run(() => transport.RunAsync(_stop.Token));

        await Poll.UntilAsync(() => _client.ConnectFailures.Count >= 3, Deadline, Describe);
        _client.Unexpected.Should().BeEmpty();
        _client.ConnectFailures.Should().OnlyContain(reason => reason.Contains("refused", StringComparison.OrdinalIgnoreCase));
        _client.Scheduled.Select(s => s.Attempt).Should().StartWith([1, 2, 3]);
    }

    [Fact]
    public async Task A_side_task_that_throws_ends_the_connection_with_its_message()
    {
        _client.SideTask = async (connection, token) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), token);
            throw new WebSocketException("the control loop gave up");
        };
        await StartAsync(Settings());

        await Poll.UntilAsync(() => _client.Lost.Count >= 1, Deadline, Describe);
        _client.Lost[0].Should().Be("the control loop gave up");
        _client.Unexpected.Should().BeEmpty("a socket failure is an ordinary end");
    }

    [Fact]
    public async Task A_close_from_the_server_ends_the_connection_with_its_status()
    {
        await StartAsync(Settings());

        await _fake.CloseAllConnectionsAsync();

        await Poll.UntilAsync(() => _client.Lost.Count >= 1, Deadline, Describe);
        _client.Lost[0].Should().StartWith("closed by the venue (");
        _client.ClosedByPeer.Should().Be(1);
    }

    private static WebSocketSettings Settings() => new()
    {
        Url = new Uri("ws://127.0.0.1:9/"),
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        SilenceTimeout = TimeSpan.FromSeconds(30),
        Backoff = new BackoffPolicy(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)),
        StablePeriod = TimeSpan.FromSeconds(30),
        MaxMessageBytes = 4 * 1024 * 1024,
    };

    private static string Marker(int length)
    {
        var prefix = "{\"marker\":\"";
        return prefix + new string('x', length - prefix.Length - 2) + "\"}";
    }

    private async Task StartAsync(WebSocketSettings settings, bool waitForSubscription = true)
    {
        var transport = new ReconnectingWebSocket(settings with { Url = _fake.Url }, _client, TimeProvider.System, random: () => 1.0);
        _run = Task.Run(() => transport.RunAsync(_stop.Token));
        if (waitForSubscription)
        {
            await Poll.UntilAsync(() => _fake.Subscriptions == 1 && _client.Texts.Any(t => t.Contains("\"method\":\"subscribe\"", StringComparison.Ordinal)), Deadline, Describe);
        }
    }

    private string Describe() =>
        $"accepted {_fake.ConnectionsAccepted}, subscriptions {_fake.Subscriptions}; client: {_client.Texts.Count} messages, connected {_client.Connected}, " +
        $"lost [{string.Join("; ", _client.Lost)}], connect failures [{string.Join("; ", _client.ConnectFailures)}], " +
        $"scheduled [{string.Join(", ", _client.Scheduled)}], unexpected [{string.Join("; ", _client.Unexpected.Select(e => e.Message))}]";

    private sealed class RecordingClient : IWebSocketClient
    {
        private readonly ConcurrentQueue<string> _texts = new();
        private readonly ConcurrentQueue<WebSocketMessageType> _types = new();
        private readonly ConcurrentQueue<int> _tooLarge = new();
        private readonly ConcurrentQueue<string> _lost = new();
        private readonly ConcurrentQueue<string> _connectFailures = new();
        private readonly ConcurrentQueue<TimeSpan> _silences = new();
        private readonly ConcurrentQueue<(TimeSpan Delay, int Attempt)> _scheduled = new();
        private readonly ConcurrentQueue<Exception> _unexpected = new();
        private int _connected;
        private int _closedByPeer;
        private volatile bool _stopped;

        public Func<WebSocketConnection, CancellationToken, Task>? SideTask { get; set; }

        public IReadOnlyList<string> Texts => [.. _texts];

        public IReadOnlyList<WebSocketMessageType> Types => [.. _types];

        public IReadOnlyList<int> TooLarge => [.. _tooLarge];

        public IReadOnlyList<string> Lost => [.. _lost];

        public IReadOnlyList<string> ConnectFailures => [.. _connectFailures];

        public IReadOnlyList<TimeSpan> Silences => [.. _silences];

        public IReadOnlyList<(TimeSpan Delay, int Attempt)> Scheduled => [.. _scheduled];

        public IReadOnlyList<Exception> Unexpected => [.. _unexpected];

        public int Connected => Volatile.Read(ref _connected);

        public int ClosedByPeer => Volatile.Read(ref _closedByPeer);

        public bool Stopped => _stopped;

        public Task OnOpenedAsync(WebSocketConnection connection, CancellationToken cancellationToken) =>
            connection.SendAsync(KrakenSubscribe, cancellationToken);

        public Task RunWhileConnectedAsync(WebSocketConnection connection, CancellationToken cancellationToken) =>
            SideTask?.Invoke(connection, cancellationToken) ?? Task.CompletedTask;

        public MessageAction OnMessage(ReadOnlySpan<byte> message, WebSocketMessageType type, DateTimeOffset receivedAt)
        {
            _texts.Enqueue(Encoding.UTF8.GetString(message));
            _types.Enqueue(type);
            return MessageAction.Continue;
        }

        public void OnMessageTooLarge(int limit, DateTimeOffset receivedAt) => _tooLarge.Enqueue(limit);

        public void OnConnecting(Uri url)
        {
        }

        public void OnConnected(WebSocketConnection connection, bool handover) => Interlocked.Increment(ref _connected);

        public void OnConnectFailed(string reason, bool handover) => _connectFailures.Enqueue(reason);

        public void OnConnectionLost(string reason, TimeSpan uptime) => _lost.Enqueue(reason);

        public void OnHandoverRequested()
        {
        }

        public void OnHandedOver(TimeSpan uptime)
        {
        }

        public void OnReconnectScheduled(TimeSpan delay, int attempt) => _scheduled.Enqueue((delay, attempt));

        public void OnSilent(TimeSpan silentFor, TimeSpan limit) => _silences.Enqueue(silentFor);

        public void OnClosedByPeer(string status, string description) => Interlocked.Increment(ref _closedByPeer);

        public void OnUnexpectedFailure(Exception exception, string where) => _unexpected.Enqueue(exception);

        public void OnStopped() => _stopped = true;
    }
}
