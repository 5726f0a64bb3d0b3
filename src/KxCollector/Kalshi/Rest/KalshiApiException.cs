using System.Net;

namespace KxCollector.Kalshi.Rest;

/// <summary>A Kalshi request that failed for good (after any retries): an HTTP error, a timeout, or a body we cannot read.</summary>
internal sealed class KalshiApiException : Exception
{
    public KalshiApiException()
    {
    }

    public KalshiApiException(string message)
        : base(message)
    {
    }

    public KalshiApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public KalshiApiException(string message, HttpStatusCode? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode? StatusCode { get; }
}
