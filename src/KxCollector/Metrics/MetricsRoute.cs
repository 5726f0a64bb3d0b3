using KxCollector.Status;
using Microsoft.AspNetCore.Http;
using Prometheus;

namespace KxCollector.Metrics;

/// <summary>GET /metrics on HEALTH_PORT: <see cref="CollectorMetrics"/> in Prometheus' text exposition format (0.0.4).</summary>
internal sealed class MetricsRoute : IHealthPortRoute
{
    public const string PathValue = "/metrics";

    private readonly CollectorMetrics _metrics;

    public MetricsRoute(CollectorMetrics metrics) => _metrics = metrics;

    public string Path => PathValue;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = PrometheusConstants.TextContentTypeWithVersionAndEncoding;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await _metrics.Registry.CollectAndExportAsTextAsync(response.Body, context.RequestAborted);
        }
    }
}
