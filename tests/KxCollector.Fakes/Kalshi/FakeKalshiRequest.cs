namespace KxCollector.Fakes.Kalshi;

/// <summary>One request as the fake saw it, for assertions: what was asked, how it was signed, what was answered.</summary>
public sealed record FakeKalshiRequest(
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string Query,
    string? KeyId,
    string? Timestamp,
    string? Signature,
    bool? SignatureValid,
    int StatusCode);
