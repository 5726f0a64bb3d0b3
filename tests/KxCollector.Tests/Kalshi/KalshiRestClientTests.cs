using KxCollector.Configuration;
using KxCollector.Fakes.Kalshi;
using KxCollector.Kalshi.Rest;
using KxCollector.Kalshi.Signing;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Kalshi;

public sealed class KalshiRestClientTests : IAsyncLifetime
{
    private static readonly KalshiRetryPolicy FastRetries = new()
    {
        MaxAttempts = 4,
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromMilliseconds(100),
        MinRequestSpacing = TimeSpan.FromMilliseconds(1),
    };

    private readonly TempDirectory _dir = new();
    private readonly ListLogger _log = new();
    private FakeKalshiServer _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeKalshiServer.StartAsync(File.ReadAllText(Fixtures.Path("kalshi", "04-market-detail.json")) is var text
            ? System.Text.Json.Nodes.JsonNode.Parse(text)!["body"]!["market"]!.ToJsonString()
            : null);
        var open = TimeProvider.System.GetUtcNow().AddMinutes(-5);
        for (var i = 0; i < 5; i++)
        {
            _fake.AddMarket(new FakeMarket { Ticker = $"KXBTC15M-26JUL2223{i}0-{i}0", OpenTime = open, CloseTime = open.AddMinutes(15 + i) });
        }

        _fake.AddMarket(new FakeMarket { Ticker = "KXETH15M-26JUL222315-15", OpenTime = open, CloseTime = open.AddMinutes(15) });
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task GetMarkets_follows_the_cursor_to_the_last_page()
    {
        _fake.PageSize = 2;
        using var client = CreateClient(signed: false);

        var markets = await client.GetMarketsAsync(new MarketQuery { SeriesTicker = "KXBTC15M", Status = "open" }, CancellationToken.None);

        markets.Select(m => m.Ticker).Should().HaveCount(5).And.OnlyHaveUniqueItems().And.OnlyContain(t => t.StartsWith("KXBTC15M-", StringComparison.Ordinal));
        markets.Should().OnlyContain(m => m.Status == "active" && m.YesBid == 0.056m);
        var requests = _fake.Requests;
        requests.Should().HaveCount(3);
        requests[0].Query.Should().Contain("series_ticker=KXBTC15M").And.Contain("status=open").And.Contain("limit=200").And.NotContain("cursor");
        requests[1].Query.Should().Contain("cursor=o2");
        requests[2].Query.Should().Contain("cursor=o4");
    }

    [Fact]
    public async Task Every_request_is_signed_and_the_fake_verifies_it_with_the_public_key()
    {
        _fake.PageSize = 2;
        _fake.RequireSignatures(TestKeys.PublicPem, TestKeys.KeyId);
        using var client = CreateClient(signed: true);

        var markets = await client.GetMarketsAsync(new MarketQuery { SeriesTicker = "KXBTC15M" }, CancellationToken.None);

        markets.Should().HaveCount(5);
        _fake.Requests.Should().HaveCount(3).And.OnlyContain(r => r.SignatureValid == true && r.KeyId == TestKeys.KeyId && r.Path == "/trade-api/v2/markets");
    }

    [Fact]
    public async Task Unsigned_requests_are_rejected_by_a_fake_that_requires_signatures_and_401_is_not_retried()
    {
        _fake.RequireSignatures(TestKeys.PublicPem, TestKeys.KeyId);
        using var client = CreateClient(signed: false);

        var act = () => client.GetMarketsAsync(new MarketQuery { SeriesTicker = "KXBTC15M" }, CancellationToken.None);

        (await act.Should().ThrowAsync<KalshiApiException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
        _fake.Requests.Should().ContainSingle().Which.StatusCode.Should().Be(401);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Rate_limit_and_server_errors_are_retried_each_attempt_freshly_signed(int status)
    {
        _fake.RequireSignatures(TestKeys.PublicPem, TestKeys.KeyId);
        _fake.FailNext(status, count: 2);
        using var client = CreateClient(signed: true);

        var markets = await client.GetMarketsAsync(new MarketQuery { SeriesTicker = "KXBTC15M" }, CancellationToken.None);

        markets.Should().HaveCount(5);
        var requests = _fake.Requests;
        requests.Select(r => r.StatusCode).Should().Equal(status, status, 200);
        requests.Should().OnlyContain(r => r.SignatureValid == true);
        requests.Select(r => r.Signature).Should().OnlyHaveUniqueItems("each attempt is signed anew");
    }

    [Fact]
    public async Task A_persistent_failure_gives_up_after_the_attempt_limit_with_an_exception()
    {
        _fake.FailFor(TimeSpan.FromMinutes(1), 500);
        using var client = CreateClient(signed: false);

        var act = () => client.GetMarketsAsync(new MarketQuery { SeriesTicker = "KXBTC15M" }, CancellationToken.None);

        (await act.Should().ThrowAsync<KalshiApiException>()).Which.Message.Should().Contain("4 attempts").And.Contain("HTTP 500");
        _fake.Requests.Should().HaveCount(FastRetries.MaxAttempts);
    }

    [Fact]
    public async Task A_refused_connect_is_retried_and_reported_as_refused_with_host_and_port()
    {
        var port = FreePorts.Loopback();
        using var client = CreateClient(signed: false, baseUrl: new Uri($"http://127.0.0.1:{port}/trade-api/v2"));

        var act = () => client.GetMarketsAsync(new MarketQuery { SeriesTicker = "KXBTC15M" }, CancellationToken.None);

        var thrown = (await act.Should().ThrowAsync<KalshiApiException>()).Which;
        thrown.Message.Should().Contain("4 attempts").And.Contain($"Connection refused (127.0.0.1:{port})");
        thrown.InnerException.Should().BeOfType<HttpRequestException>()
            .Which.InnerException.Should().BeOfType<System.Net.Sockets.SocketException>()
            .Which.SocketErrorCode.Should().Be(System.Net.Sockets.SocketError.ConnectionRefused);
        client.Attempts.Should().Be(FastRetries.MaxAttempts, "a refused connect is transient");
    }

    [Fact]
    public async Task A_host_name_is_resolved_and_each_address_tried_until_one_answers()
    {
        // localhost is ::1 and 127.0.0.1; the fake listens on IPv4 only, so where IPv6 is on the first address refuses.
        var byName = new UriBuilder(_fake.ApiBaseUrl) { Host = "localhost" }.Uri;
        using var client = CreateClient(signed: false, baseUrl: byName);

        var markets = await client.GetMarketsAsync(new MarketQuery { SeriesTicker = "KXBTC15M" }, CancellationToken.None);

        markets.Should().HaveCount(5);
        client.Retries.Should().Be(0);
    }

    [Fact]
    public async Task A_slow_answer_times_out_and_the_retry_succeeds()
    {
        _fake.DelayNext(TimeSpan.FromSeconds(5));
        using var client = CreateClient(signed: false, timeout: TimeSpan.FromMilliseconds(500));

        var markets = await client.GetMarketsAsync(new MarketQuery { SeriesTicker = "KXBTC15M" }, CancellationToken.None);

        markets.Should().HaveCount(5);
    }

    [Fact]
    public async Task Requests_are_spaced_by_the_minimum_interval()
    {
        _fake.PageSize = 1;
        using var client = CreateClient(signed: false, policy: FastRetries with { MinRequestSpacing = TimeSpan.FromMilliseconds(150) });

        await client.GetMarketsAsync(new MarketQuery { SeriesTicker = "KXBTC15M" }, CancellationToken.None);

        var times = _fake.Requests.Select(r => r.ReceivedAt).ToList();
        times.Should().HaveCount(5);
        // Spacing is enforced where requests are sent; receipt times jitter with scheduling, so judge the whole
        // span: four 150 ms gaps cannot arrive in much under 600 ms, while unpaced requests take a few ms.
        (times[^1] - times[0]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450));
    }

    [Fact]
    public async Task Tickers_and_min_close_filters_reach_the_server()
    {
        using var client = CreateClient(signed: false);
        var since = DateTimeOffset.FromUnixTimeSeconds(1_753_240_000);

        var markets = await client.GetMarketsAsync(
            new MarketQuery { Tickers = ["KXBTC15M-26JUL222300-00", "KXETH15M-26JUL222315-15"], MinCloseTime = since }, CancellationToken.None);

        markets.Select(m => m.Ticker).Should().BeEquivalentTo("KXBTC15M-26JUL222300-00", "KXETH15M-26JUL222315-15");
        _fake.Requests.Single().Query.Should().Contain("tickers=KXBTC15M-26JUL222300-00%2CKXETH15M-26JUL222315-15").And.Contain("min_close_ts=1753240000");
    }

    [Theory]
    [InlineData(0, 0.5, 250)]
    [InlineData(1, 0.5, 500)]
    [InlineData(2, 1.0, 2000)]
    [InlineData(10, 1.0, 10000)]
    [InlineData(3, 0.0, 0)]
    public void Backoff_is_full_jitter_under_an_exponential_ceiling(int failedAttempt, double random, double expectedMs)
    {
        KalshiRetryPolicy.Default.DelayBeforeRetry(failedAttempt, null, random).Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public void Backoff_honours_a_retry_after_as_a_floor_capped_at_the_maximum()
    {
        KalshiRetryPolicy.Default.DelayBeforeRetry(0, TimeSpan.FromSeconds(7), 0.5).Should().Be(TimeSpan.FromSeconds(7));
        KalshiRetryPolicy.Default.DelayBeforeRetry(0, TimeSpan.FromHours(1), 0.5).Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_retry_after_header_is_waited_for()
    {
        _fake.FailNext(429, count: 1, retryAfter: TimeSpan.FromSeconds(1));
        using var client = CreateClient(signed: false);

        await client.GetMarketsAsync(new MarketQuery { SeriesTicker = "KXBTC15M" }, CancellationToken.None);

        var requests = _fake.Requests;
        (requests[1].ReceivedAt - requests[0].ReceivedAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950));
    }

    private KalshiRestClient CreateClient(bool signed, TimeSpan? timeout = null, KalshiRetryPolicy? policy = null, Uri? baseUrl = null)
    {
        var options = new KalshiOptions
        {
            Environment = "demo",
            ApiBaseUrl = baseUrl ?? _fake.ApiBaseUrl,
            WebSocketUrl = new Uri(KalshiOptions.DemoWebSocketUrl),
            ApiKeyId = signed ? TestKeys.KeyId : null,
            PrivateKeyPath = signed ? TestKeys.WriteKeyFile(_dir.Path, TestKeys.Pkcs1Pem) : null,
            HttpTimeout = timeout ?? TimeSpan.FromSeconds(5),
        };
        var credentials = KalshiCredentials.Load(options, _log);
        return KalshiRestClient.Create(options, credentials, policy ?? FastRetries, TimeProvider.System, _log);
    }
}
