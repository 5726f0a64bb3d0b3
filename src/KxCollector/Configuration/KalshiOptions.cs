namespace KxCollector.Configuration;

internal sealed class KalshiOptions
{
    public const string ProdApiUrl = "https://external-api.kalshi.com/trade-api/v2";
    public const string ProdWebSocketUrl = "wss://external-api-ws.kalshi.com/trade-api/ws/v2";
    public const string DemoApiUrl = "https://demo-api.kalshi.co/trade-api/v2";
    public const string DemoWebSocketUrl = "wss://demo-api.kalshi.co/trade-api/ws/v2";

    // The defaults of the keys, read by CollectorOptionsLoader: one home, so the loader and the initialisers agree.
    public const string DefaultEnvironment = "prod";
    public const double DefaultPollSeconds = 3;
    public const double DefaultFastPollSeconds = 0.5;
    public const double DefaultDiscoverySeconds = 60;
    public const double DefaultHttpTimeoutSeconds = 10;
    public const double DefaultWebSocketSilenceSeconds = 20;
    public const int DefaultWebSocketMaxMarkets = 200;

    /// <summary>"prod" or "demo": picks the default hosts (keys are per environment).</summary>
    public required string Environment { get; init; }

    /// <summary>REST base including /trade-api/v2.</summary>
    public required Uri ApiBaseUrl { get; init; }

    public required Uri WebSocketUrl { get; init; }

    /// <summary>The API key id (a UUID); null when the collector runs on public endpoints only.</summary>
    public string? ApiKeyId { get; init; }

    /// <summary>Absolute path of the RSA private key PEM; set exactly when <see cref="ApiKeyId"/> is.</summary>
    public string? PrivateKeyPath { get; init; }

    /// <summary>KALSHI_POLL_SECONDS: how often open markets are polled between events (quotes come from this poll).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(DefaultPollSeconds);

    /// <summary>KALSHI_FAST_POLL_SECONDS: the poll interval around a market's open_time or close_time and while a result is due.</summary>
    public TimeSpan FastPollInterval { get; init; } = TimeSpan.FromSeconds(DefaultFastPollSeconds);

    /// <summary>KALSHI_DISCOVERY_SECONDS: how often the not-yet-open markets are listed to learn the next open_time.</summary>
    public TimeSpan DiscoveryInterval { get; init; } = TimeSpan.FromSeconds(DefaultDiscoverySeconds);

    /// <summary>KALSHI_HTTP_TIMEOUT_SECONDS: the limit on each REST attempt, connection included.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(DefaultHttpTimeoutSeconds);

    /// <summary>
    /// KALSHI_REST_RPS: the process's budget of REST requests per second (a token bucket shared by the tracker's
    /// polls, gap filling and `backfill`). The default 10 is half of the Basic tier's 20 reads/s.
    /// </summary>
    public double RestRequestsPerSecond { get; init; } = DefaultRestRequestsPerSecond;

    public const double DefaultRestRequestsPerSecond = 10;

    /// <summary>The highest KALSHI_REST_RPS accepted: Kalshi's highest published read tier.</summary>
    public const double MaxRestRequestsPerSecond = 100;

    /// <summary>KALSHI_WS_SILENCE_SECONDS: no frame at all on a stream connection for this long means a dead link (Kalshi pings every 10 s).</summary>
    public TimeSpan WebSocketSilenceTimeout { get; init; } = TimeSpan.FromSeconds(DefaultWebSocketSilenceSeconds);

    /// <summary>
    /// KALSHI_WS_MAX_MARKETS: markets per stream connection before another connection is opened. Kalshi enforces a
    /// per-connection subscription limit that its public docs do not state; 200 is an assumption kept well below the
    /// limits seen in practice. Lower it if Kalshi answers subscriptions with a limit error.
    /// </summary>
    public int WebSocketMaxMarketsPerConnection { get; init; } = DefaultWebSocketMaxMarkets;

    /// <summary>First reconnect delay ceiling; doubles per failed attempt (full jitter) up to <see cref="WebSocketReconnectMaxDelay"/>.</summary>
    public TimeSpan WebSocketReconnectBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan WebSocketReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    public bool HasCredentials => ApiKeyId is not null && PrivateKeyPath is not null;
}
