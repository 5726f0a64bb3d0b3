using Microsoft.AspNetCore.Http;

namespace KxCollector.Status;

/// <summary>
/// One more GET path on the HEALTH_PORT listener (/metrics, the status page and its data). Register an implementation
/// as a singleton <c>IHealthPortRoute</c>; <see cref="HealthEndpointService"/> answers 404 and 405 for it, sets
/// Cache-Control: no-store and hands over GET and HEAD requests to <see cref="Path"/>.
/// </summary>
internal interface IHealthPortRoute
{
    /// <summary>The exact request path, e.g. "/metrics".</summary>
    string Path { get; }

    /// <summary>Writes the response; on HEAD, the headers only. Runs on a Kestrel thread: read memory or files, never block the tick loop.</summary>
    Task HandleAsync(HttpContext context);
}
