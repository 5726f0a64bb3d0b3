using System.Globalization;
using System.Net;
using KxCollector.Kalshi.Stream;
using KxCollector.Metrics;
using KxCollector.Status;
using KxCollector.StatusPage;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Metrics;

/// <summary>The HEALTH_PORT listener serves its registered routes beside /health, with the same method rules.</summary>
public sealed class HealthPortRoutesTests
{
    [Fact]
    public async Task Metrics_and_the_page_are_served_beside_health_other_paths_are_404_and_other_methods_405()
    {
        var port = FreePorts.Loopback();
        using var rig = new StatusRig(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), ("HEALTH_PORT", port.ToString(CultureInfo.InvariantCulture)));
        var metrics = new CollectorMetrics(rig.Builder, rig.Ticks, rig.Feeds, rig.Board, rig.Proxy, () => [], new StreamStats(), [], null, () => null, rig.Time);
        IHealthPortRoute[] routes = [new MetricsRoute(metrics), new StatusPageRoute()];
        await using var service = new HealthEndpointService(rig.Options, rig.Builder, [], new ListLogger<HealthEndpointService>(), routes);
        await service.StartAsync(default);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}") };
        rig.Tick();

        using (var scrape = await http.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            scrape.StatusCode.Should().Be(HttpStatusCode.OK);
            scrape.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
            scrape.Headers.CacheControl!.NoStore.Should().BeTrue();
            (await scrape.Content.ReadAsStringAsync()).Should().Contain("\nkxcollector_ticks_written_total 1\n");
        }

        using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri("/metrics", UriKind.Relative))))
        {
            head.StatusCode.Should().Be(HttpStatusCode.OK);
            (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        }

        using (var page = await http.GetAsync(new Uri("/", UriKind.Relative)))
        {
            page.StatusCode.Should().Be(HttpStatusCode.OK);
            page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            (await page.Content.ReadAsStringAsync()).Should().StartWith("<!doctype html>").And.Contain("fetch(\"/recent.json\"");
        }

        (await http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "no fresh feed in this rig");
        (await http.GetAsync(new Uri("/metrics/x", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var post = await http.PostAsync(new Uri("/metrics", UriKind.Relative), null);
        post.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        await service.StopAsync(default);
    }
}
