using KxCollector.Status;
using Microsoft.AspNetCore.Http;

namespace KxCollector.StatusPage;

/// <summary>
/// GET / on HEALTH_PORT: one self-contained HTML page (inline CSS and JS, SVG charts, nothing fetched from anywhere
/// but this port) that polls /recent.json and /health. Embedded in the binary, so a build is all it needs.
/// </summary>
internal sealed class StatusPageRoute : IHealthPortRoute
{
    public const string PathValue = "/";

    private static readonly Lazy<byte[]> Page = new(Load);

    public string Path => PathValue;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        var page = Page.Value;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = page.Length;

        // The page needs nothing from outside; say so to the browser too.
        response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await response.Body.WriteAsync(page, context.RequestAborted);
        }
    }

    private static byte[] Load()
    {
        using var stream = typeof(StatusPageRoute).Assembly.GetManifestResourceStream("KxCollector.StatusPage.status-page.html")
            ?? throw new InvalidOperationException("the status page is not embedded in the binary");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
