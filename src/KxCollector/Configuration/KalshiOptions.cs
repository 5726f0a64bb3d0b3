namespace KxCollector.Configuration;

internal sealed class KalshiOptions
{
    public const string ProdApiUrl = "https://api.elections.kalshi.com/trade-api/v2";
    public const string ProdWebSocketUrl = "wss://api.elections.kalshi.com/trade-api/ws/v2";
    public const string DemoApiUrl = "https://demo-api.kalshi.co/trade-api/v2";
    public const string DemoWebSocketUrl = "wss://demo-api.kalshi.co/trade-api/ws/v2";

    /// <summary>"prod" or "demo": picks the default hosts (keys are per environment).</summary>
    public required string Environment { get; init; }

    /// <summary>REST base including /trade-api/v2.</summary>
    public required Uri ApiBaseUrl { get; init; }

    public required Uri WebSocketUrl { get; init; }

    /// <summary>The API key id (a UUID); null when the collector runs on public endpoints only.</summary>
    public string? ApiKeyId { get; init; }

    /// <summary>Absolute path of the RSA private key PEM; set exactly when <see cref="ApiKeyId"/> is.</summary>
    public string? PrivateKeyPath { get; init; }

    public bool HasCredentials => ApiKeyId is not null && PrivateKeyPath is not null;
}
