using System.Net;
using KxCollector.Configuration;
using KxCollector.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Status;

/// <summary>
/// GET /health on 127.0.0.1:HEALTH_PORT: the status document, 200 when healthy and 503 when not; the other paths on the
/// port (/metrics, the status page) are <see cref="IHealthPortRoute"/>s registered by their features. Loopback only: it
/// tells anyone who can reach it the machine's PID and paths, and monitoring agents run on the same host.
/// A port that cannot be bound is logged and the collector records without the endpoint: a monitoring nicety must
/// never be the reason a day of data is lost.
/// </summary>
internal sealed partial class HealthEndpointService : IHostedService, IAsyncDisposable
{
    public const string PathValue = "/health";

    private readonly int _port;
    private readonly StatusSnapshotBuilder _builder;
    private readonly IEnumerable<IStatusContributor> _contributors;
    private readonly ILogger<HealthEndpointService> _logger;
    private readonly Dictionary<string, IHealthPortRoute> _routes;
    private WebApplication? _app;

    public HealthEndpointService(
        CollectorOptions options,
        StatusSnapshotBuilder builder,
        IEnumerable<IStatusContributor> contributors,
        ILogger<HealthEndpointService> logger,
        IEnumerable<IHealthPortRoute>? routes = null)
    {
        _routes = (routes ?? []).ToDictionary(r => r.Path, StringComparer.Ordinal);
        _port = options.HealthPort ?? throw new ArgumentException("HealthEndpointService needs HEALTH_PORT", nameof(options));
        _builder = builder;
        _contributors = contributors;
        _logger = logger;
    }

    /// <summary>True once the endpoint is listening.</summary>
    public bool Listening => _app is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The slimmest ASP.NET Core host: Kestrel alone, no routing, no configuration files, no default logging.
        var web = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        web.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, _port);
        });
        var app = web.Build();
        app.Run(HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            await app.DisposeAsync();
            LogBindFailed(_logger, _port, ex.Message);
            return;
        }

        _app = app;
        LogListening(_logger, _port, _routes.Count == 0 ? "nothing else" : string.Join(", ", _routes.Keys.Order(StringComparer.Ordinal)));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <remarks>
    /// With inline socket completions (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS, and Kestrel's own
    /// UnsafePreferInlineScheduling) this may run on the socket thread; the routes read day files and build documents,
    /// so every request leaves it first.
    /// </remarks>
    internal async Task HandleAsync(HttpContext context)
    {
        await SocketThread.Leave();
        var response = context.Response;
        var path = context.Request.Path.Value ?? string.Empty;
        IHealthPortRoute? route = null;
        if (!string.Equals(path, PathValue, StringComparison.Ordinal) && !_routes.TryGetValue(path, out route))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        if (route is not null)
        {
            response.Headers.CacheControl = "no-store";
            await route.HandleAsync(context);
            return;
        }

        var snapshot = _builder.Build();
        var body = StatusJson.Serialize(snapshot, _contributors);
        response.StatusCode = snapshot.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        response.ContentLength = body.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    [LoggerMessage(EventId = 530, Level = LogLevel.Information, Message = "GET /health is served on http://127.0.0.1:{Port}/health; also there: {Routes}")]
    private static partial void LogListening(ILogger logger, int port, string routes);

    [LoggerMessage(EventId = 531, Level = LogLevel.Error, Message = "HEALTH_PORT {Port} cannot be used ({Reason}); recording goes on without the /health endpoint")]
    private static partial void LogBindFailed(ILogger logger, int port, string reason);
}
