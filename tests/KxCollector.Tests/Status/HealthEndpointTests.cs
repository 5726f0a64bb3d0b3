using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.Pricing;
using KxCollector.Status;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Status;

public sealed class HealthEndpointTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1", 1)]
    [InlineData("8089", 8089)]
    [InlineData("65535", 65535)]
    [InlineData("", null)]
    public void HEALTH_PORT_accepts_1_to_65535_and_blank_means_off(string value, int? expected)
    {
        using var dir = new TempDirectory();

        var options = CollectorOptionsLoader.Load(new Dictionary<string, string> { ["OUTPUT_DIR"] = dir.Path, ["HEALTH_PORT"] = value }, dir.Path);

        options.HealthPort.Should().Be(expected);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("80a")]
    [InlineData("+80")]
    public void HEALTH_PORT_outside_1_to_65535_is_a_configuration_error_naming_the_key(string value)
    {
        using var dir = new TempDirectory();

        var load = () => CollectorOptionsLoader.Load(new Dictionary<string, string> { ["OUTPUT_DIR"] = dir.Path, ["HEALTH_PORT"] = value }, dir.Path);

        load.Should().Throw<ConfigurationException>().WithMessage($"HEALTH_PORT='{value}' is not valid; expected a TCP port from 1 to 65535, or empty for none");
    }

    [Fact]
    public void The_debug_tick_stall_is_refused_unless_debug_faults_are_explicitly_allowed()
    {
        using var dir = new TempDirectory();
        var settings = new Dictionary<string, string> { ["OUTPUT_DIR"] = dir.Path, ["KX_DEBUG_STALL_TICKS_AFTER_SECONDS"] = "5" };

        var refused = () => CollectorOptionsLoader.Load(settings, dir.Path);
        refused.Should().Throw<ConfigurationException>().WithMessage("*KX_DEBUG_ALLOW_FAULTS=1*");

        settings["KX_DEBUG_ALLOW_FAULTS"] = "1";
        CollectorOptionsLoader.Load(settings, dir.Path).DebugStallTicksAfter.Should().Be(TimeSpan.FromSeconds(5));
        settings.Remove("KX_DEBUG_STALL_TICKS_AFTER_SECONDS");
        CollectorOptionsLoader.Load(settings, dir.Path).DebugStallTicksAfter.Should().BeNull();
    }

    [Fact]
    public async Task Health_answers_200_when_ticking_with_a_fresh_feed_and_503_when_ticks_stop_or_no_feed_is_fresh()
    {
        var port = FreePorts.Loopback();
        using var rig = new StatusRig(Start, ("HEALTH_PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using var service = new HealthEndpointService(rig.Options, rig.Builder, [], new ListLogger<HealthEndpointService>());
        await service.StartAsync(default);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        rig.PublishQuote(Exchange.Bitstamp, 100m, 102m);
        rig.Tick();

        using (var healthy = await http.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            healthy.StatusCode.Should().Be(HttpStatusCode.OK);
            healthy.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
            var body = JsonDocument.Parse(await healthy.Content.ReadAsStringAsync()).RootElement;
            body.GetProperty("healthy").GetBoolean().Should().BeTrue();
            body.GetProperty("feeds").GetProperty("bitstamp").GetProperty("fresh").GetBoolean().Should().BeTrue();
            body.GetProperty("pid").GetInt32().Should().Be(Environment.ProcessId);
        }

        rig.Time.Advance(TimeSpan.FromSeconds(6)); // no tick for 6 s; the quote is stale too
        using (var stalled = await http.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            stalled.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            var body = JsonDocument.Parse(await stalled.Content.ReadAsStringAsync()).RootElement;
            body.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should().Contain("no tick for 6 s");
        }

        rig.Tick(); // ticking again, but no fresh feed
        using (var noFeed = await http.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            noFeed.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            JsonDocument.Parse(await noFeed.Content.ReadAsStringAsync()).RootElement.GetProperty("problems")
                .EnumerateArray().Select(p => p.GetString()).Should().Equal("no exchange feed has a fresh price");
        }

        (await http.GetAsync(new Uri("/other", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var post = await http.PostAsync(new Uri("/health", UriKind.Relative), null);
        post.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        await service.StopAsync(default);
    }

    [Fact]
    public async Task Health_listens_on_the_loopback_address_only()
    {
        var port = FreePorts.Loopback();
        using var rig = new StatusRig(Start, ("HEALTH_PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using var service = new HealthEndpointService(rig.Options, rig.Builder, [], new ListLogger<HealthEndpointService>());
        await service.StartAsync(default);

        // Any other address of this machine (here: the wildcard bind succeeds only if nothing holds it on all interfaces).
        using var wildcard = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        wildcard.ExclusiveAddressUse = false;
        var bindAll = () => wildcard.Bind(new IPEndPoint(IPAddress.Any, port));
        bindAll.Should().Throw<SocketException>("127.0.0.1:port is taken by /health, so 0.0.0.0:port conflicts");
        using var loopback = new TcpClient();
        await loopback.ConnectAsync(IPAddress.Loopback, port);
        loopback.Connected.Should().BeTrue();
        await service.StopAsync(default);
    }

    [Fact]
    public async Task A_port_already_in_use_is_logged_and_the_collector_goes_on_without_the_endpoint()
    {
        using var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        var port = ((IPEndPoint)occupier.LocalEndpoint).Port;
        using var rig = new StatusRig(Start, ("HEALTH_PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var logger = new ListLogger<HealthEndpointService>();
        await using var service = new HealthEndpointService(rig.Options, rig.Builder, [], logger);

        await service.StartAsync(default);

        service.Listening.Should().BeFalse();
        logger.Entries.Should().ContainSingle(e => e.EventId == 531).Which.Message.Should().Contain($"HEALTH_PORT {port} cannot be used");
        await service.StopAsync(default);
    }

}
