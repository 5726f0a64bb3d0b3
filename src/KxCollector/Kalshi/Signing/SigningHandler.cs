namespace KxCollector.Kalshi.Signing;

/// <summary>
/// Signs each request as it goes out. Sitting below the retry loop, every attempt passes through it again and so
/// carries a fresh timestamp and signature, as Kalshi requires.
/// </summary>
internal sealed class SigningHandler : DelegatingHandler
{
    private readonly KalshiSigner _signer;
    private readonly TimeProvider _time;

    public SigningHandler(KalshiSigner signer, TimeProvider time, HttpMessageHandler inner)
        : base(inner)
    {
        _signer = signer;
        _time = time;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _signer.Apply(request, _time.GetUtcNow());
        return base.SendAsync(request, cancellationToken);
    }
}
