using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KxCollector.Kalshi.Signing;

/// <summary>
/// Signs Kalshi requests as docs/venues.md states: message = ms timestamp + METHOD + path (including /trade-api/v2, no
/// query); RSA-PSS, SHA-256, MGF1-SHA-256, salt 32; base64. PSS salts are random, so two signatures of the same
/// message differ, and every attempt (retries too) gets its own timestamp and signature.
/// </summary>
internal sealed class KalshiSigner : IDisposable
{
    public const string KeyHeader = "KALSHI-ACCESS-KEY";
    public const string TimestampHeader = "KALSHI-ACCESS-TIMESTAMP";
    public const string SignatureHeader = "KALSHI-ACCESS-SIGNATURE";

    // RSA instances are not documented as thread-safe; signing is rare (a few per second at most), so a lock is free.
    private readonly Lock _gate = new();
    private readonly RSA _rsa;

    public KalshiSigner(string keyId, RSA rsa)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        ArgumentNullException.ThrowIfNull(rsa);
        KeyId = keyId;
        _rsa = rsa;
    }

    public string KeyId { get; }

    /// <summary>The key id as logs may show it: enough to tell keys apart, not enough to use one.</summary>
    public string RedactedKeyId => Redact(KeyId);

    public static string Message(long timestampMs, string method, string path) =>
        string.Concat(timestampMs.ToString(CultureInfo.InvariantCulture), method.ToUpperInvariant(), path);

    /// <summary>The part of a request URI that is signed: the path as sent, without the query string.</summary>
    public static string SignedPath(Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        return requestUri.AbsolutePath;
    }

    public static string Redact(string keyId) => keyId.Length <= 4 ? "…" : string.Concat(keyId.AsSpan(0, 4), "…");

    public string Sign(long timestampMs, string method, string path)
    {
        var message = Encoding.UTF8.GetBytes(Message(timestampMs, method, path));
        byte[] signature;
        lock (_gate)
        {
            signature = _rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        }

        return Convert.ToBase64String(signature);
    }

    /// <summary>Sets the three KALSHI-ACCESS-* headers for one attempt, replacing those of an earlier attempt.</summary>
    public void Apply(HttpRequestMessage request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var timestampMs = now.ToUnixTimeMilliseconds();
        var signature = Sign(timestampMs, request.Method.Method, SignedPath(request.RequestUri!));
        var headers = request.Headers;
        headers.Remove(KeyHeader);
        headers.Remove(TimestampHeader);
        headers.Remove(SignatureHeader);
        headers.TryAddWithoutValidation(KeyHeader, KeyId);
        headers.TryAddWithoutValidation(TimestampHeader, timestampMs.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(SignatureHeader, signature);
    }

    public void Dispose() => _rsa.Dispose();
}
