using KxCollector.Configuration;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Signing;

/// <summary>
/// The signer when a key is configured, or none: market-data reads work unsigned, so the collector can run on the
/// public endpoints. Created as the host starts, so a bad key file stops start-up with exit 78.
/// </summary>
internal sealed partial class KalshiCredentials : IDisposable
{
    private KalshiCredentials(KalshiSigner? signer) => Signer = signer;

    public KalshiSigner? Signer { get; }

    public static KalshiCredentials Load(KalshiOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.HasCredentials)
        {
            LogPublicEndpoints(logger, options.ApiBaseUrl);
            return new KalshiCredentials(null);
        }

        var path = options.PrivateKeyPath!;
        var rsa = KalshiKeyLoader.Load(path);
        if (KalshiKeyLoader.IsExposed(path))
        {
            LogKeyFileExposed(logger, path);
        }

        var signer = new KalshiSigner(options.ApiKeyId!, rsa);
        LogSigning(logger, signer.RedactedKeyId, options.ApiBaseUrl);
        return new KalshiCredentials(signer);
    }

    public void Dispose() => Signer?.Dispose();

    [LoggerMessage(EventId = 400, Level = LogLevel.Information,
        Message = "Kalshi: no API key configured (KALSHI_API_KEY_ID, KALSHI_PRIV_KEY_PATH); reading public market data from {BaseUrl} unsigned")]
    private static partial void LogPublicEndpoints(ILogger logger, Uri baseUrl);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Kalshi: signing every request to {BaseUrl} with key {KeyId}")]
    private static partial void LogSigning(ILogger logger, string keyId, Uri baseUrl);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning,
        Message = "Kalshi private key file {Path} is readable by group or others; restrict it (chmod 600)")]
    private static partial void LogKeyFileExposed(ILogger logger, string path);
}
