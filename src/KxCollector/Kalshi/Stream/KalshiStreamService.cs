using KxCollector.Configuration;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Signing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Stream;

/// <summary>
/// Keeps the Kalshi stream following the tracked markets of every configured series: whenever a market board's set
/// of markets changes (<see cref="StreamBoard.MarketsChanged"/>, and once a minute in any case) it reads the boards
/// (what the ticks show), spreads those markets over connections of at most
/// <see cref="KalshiOptions.WebSocketMaxMarketsPerConnection"/> each, opens a connection when all are full and
/// closes extra ones left empty. Connection 0 is always open: it carries market_lifecycle_v2. Without an API key
/// (Kalshi signs even public channels) it logs what is lost, once, and does nothing.
/// </summary>
internal sealed partial class KalshiStreamService : BackgroundService
{
    /// <summary>
    /// A re-read of the boards even without a change notice: only a safety net (a series joining the registry
    /// publishes its board, which notifies), so it may be slow.
    /// </summary>
    internal static readonly TimeSpan SafetyInterval = TimeSpan.FromMinutes(1);

    private readonly KalshiOptions _options;
    private readonly KalshiCredentials _credentials;
    private readonly Func<IEnumerable<MarketBoard>> _boards;
    private readonly StreamBoard _board;
    private readonly StreamRecorder _recorder;
    private readonly StreamStats _stats;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly List<KalshiStreamConnection> _connections = [];
    private readonly List<HashSet<string>> _assigned = [];
    private readonly List<Task> _closing = [];

    public KalshiStreamService(
        KalshiOptions options,
        KalshiCredentials credentials,
        Func<IEnumerable<MarketBoard>> boards,
        StreamBoard board,
        StreamRecorder recorder,
        StreamStats stats,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        _options = options;
        _credentials = credentials;
        _boards = boards;
        _board = board;
        _recorder = recorder;
        _stats = stats;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<KalshiStreamService>();
    }

    public int ConnectionCount => _connections.Count;

    /// <summary>The official index feed, carried by connection 0 with the lifecycle channel; null when none is mapped.</summary>
    public Index.OfficialIndexFeed? OfficialIndex { get; init; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_credentials.Signer is not { } signer)
        {
            LogNoStream(_logger);
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Follow(signer);
                await _board.MarketsChanged.WaitAsync(SafetyInterval, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var connection in _connections)
            {
                await connection.DisposeAsync();
            }

            _connections.Clear();
            await Task.WhenAll(_closing);
        }
    }

    private void Follow(KalshiSigner signer)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var board in _boards())
        {
            foreach (var entry in board.Current)
            {
                wanted.Add(entry.Ticker);
            }

            wanted.UnionWith(board.OpeningSoon);
        }

        MarketAssignment.Assign(_assigned, wanted, _options.WebSocketMaxMarketsPerConnection);
        if (_assigned.Count == 0)
        {
            _assigned.Add(new HashSet<string>(StringComparer.Ordinal));
        }

        // Extra connections left with no market at the end close (connection 0 stays for the lifecycle channel); an
        // empty one in the middle stays open and is the first to take new markets.
        while (_assigned.Count > 1 && _assigned[^1].Count == 0)
        {
            _assigned.RemoveAt(_assigned.Count - 1);
        }

        while (_connections.Count > _assigned.Count)
        {
            var extra = _connections[^1];
            _connections.RemoveAt(_connections.Count - 1);
            LogConnectionClosed(_logger, extra.Number);
            _closing.Add(extra.DisposeAsync().AsTask());
        }

        while (_connections.Count < _assigned.Count)
        {
            var number = _connections.Count;
            var connection = new KalshiStreamConnection(
                number, lifecycle: number == 0, _options, signer, _board, _recorder, _stats, _time, _loggers.CreateLogger<KalshiStreamConnection>())
            {
                OfficialIndex = number == 0 ? OfficialIndex : null,
            };
            _connections.Add(connection);
            if (number > 0)
            {
                LogConnectionOpened(_logger, number, _options.WebSocketMaxMarketsPerConnection);
            }

            connection.Start();
        }

        for (var i = 0; i < _connections.Count; i++)
        {
            _connections[i].SetMarkets(_assigned[i]);
        }
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning,
        Message = "Kalshi stream off: no API key (KALSHI_API_KEY_ID, KALSHI_PRIV_KEY_PATH), and Kalshi's WebSocket requires one. Lost: real-time quotes (ticks use the REST poll, src \"rest\", up to ~15 s stale behind Kalshi's CDN), order books (BOOK_DEPTH writes null books), trade lines and lifecycle lines")]
    private static partial void LogNoStream(ILogger logger);

    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Kalshi stream: opening connection {Connection}: the others hold {Max} markets each")]
    private static partial void LogConnectionOpened(ILogger logger, int connection, int max);

    [LoggerMessage(EventId = 611, Level = LogLevel.Information, Message = "Kalshi stream: closing connection {Connection}, no market left on it")]
    private static partial void LogConnectionClosed(ILogger logger, int connection);
}
