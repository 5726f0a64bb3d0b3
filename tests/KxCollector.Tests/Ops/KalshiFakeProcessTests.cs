using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Ops;

/// <summary>
/// The real <c>kxfakes kalshi</c> process, as bench/soak.sh runs it: it prints its URLs and key id, writes a private
/// key only its owner can read, lists the open KXBTC15M market to a request signed with that key (and refuses an
/// unsigned one, and filter pairs Kalshi's spec calls incompatible), announces closed markets determined, and reports
/// what it sent when stopped by SIGTERM.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class KalshiFakeProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(8);

    private readonly TempDirectory _dir = new();
    private FakesProcess? _fakes;

    public void Dispose()
    {
        _fakes?.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Prints_its_urls_and_key_id_serves_one_open_KXBTC15M_market_to_signed_requests_and_stops_on_SIGTERM()
    {
        var keyPath = Path.Combine(_dir.Path, "kalshi.pem");
        var fakes = _fakes = FakesProcess.Start("kalshi", "--rate", "20", "--key-out", keyPath);
        await fakes.WaitReadyAsync(Timeout);
        var Value = fakes.Value;
        var rest = Value("kalshi-rest");
        var keyId = Value("kalshi-key-id");
        rest.Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/trade-api/v2$");
        Value("kalshi-ws").Should().MatchRegex(@"^ws://127\.0\.0\.1:\d+/trade-api/ws/v2$");
        File.GetUnixFileMode(keyPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        using var http = new HttpClient();
        var url = new Uri(rest + "/markets?series_ticker=KXBTC15M&status=open");
        using (var unsigned = await http.GetAsync(url))
        {
            ((int)unsigned.StatusCode).Should().Be(401);
        }

        using var rsa = RSA.Create();
        rsa.ImportFromPem(await File.ReadAllTextAsync(keyPath));
        HttpRequestMessage Signed(Uri target)
        {
            var signedRequest = new HttpRequestMessage(HttpMethod.Get, target);
            var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            var signature = rsa.SignData(Encoding.UTF8.GetBytes(timestamp + "GET" + target.AbsolutePath), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            signedRequest.Headers.Add("KALSHI-ACCESS-KEY", keyId);
            signedRequest.Headers.Add("KALSHI-ACCESS-TIMESTAMP", timestamp);
            signedRequest.Headers.Add("KALSHI-ACCESS-SIGNATURE", Convert.ToBase64String(signature));
            return signedRequest;
        }

        // A pair Kalshi's spec calls incompatible is refused, as Kalshi may.
        using (var incompatible = Signed(new Uri(rest + "/markets?series_ticker=KXBTC15M&status=settled&min_close_ts=1")))
        using (var refused = await http.SendAsync(incompatible))
        {
            ((int)refused.StatusCode).Should().Be(400);
        }

        using var request = Signed(url);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(200, body);

        using var json = JsonDocument.Parse(body);
        var markets = json.RootElement.GetProperty("markets").EnumerateArray().ToList();
        markets.Should().ContainSingle(body);
        var market = markets[0];
        market.GetProperty("ticker").GetString().Should().MatchRegex(@"^KXBTC15M-\d\d[A-Z]{3}\d{6}-\d\d$");
        var open = market.GetProperty("open_time").GetDateTimeOffset();
        var close = market.GetProperty("close_time").GetDateTimeOffset();
        (close - open).Should().Be(TimeSpan.FromMinutes(15));
        open.Minute.Should().BeOneOf(0, 15, 30, 45);
        // Some slack at close: the quarter may turn between the answer and this check.
        TimeProvider.System.GetUtcNow().Should().BeOnOrAfter(open).And.BeBefore(close + TimeSpan.FromSeconds(5));

        await fakes.TerminateAsync();
        using var exited = new CancellationTokenSource(Timeout);
        await fakes.Process.WaitForExitAsync(exited.Token);
        fakes.Process.ExitCode.Should().Be(0, fakes.Output);
        fakes.StandardOutput.Should().MatchRegex(@"sent: kalshi \d+ ").And.MatchRegex(@"determined [1-9]\d*\)", "the previous quarter's market is announced determined on the stream");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Its_WebSocket_publishes_a_cfbenchmarks_value_print_a_second_or_refuses_the_subscription(bool refuse)
    {
        var keyPath = Path.Combine(_dir.Path, "kalshi.pem");
        var fakes = _fakes = FakesProcess.Start(refuse ? ["kalshi", "--key-out", keyPath, "--refuse-index", "17"] : ["kalshi", "--key-out", keyPath]);
        await fakes.WaitReadyAsync(Timeout);
        var Value = fakes.Value;

        using var rsa = RSA.Create();
        rsa.ImportFromPem(await File.ReadAllTextAsync(keyPath));
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        var url = new Uri(Value("kalshi-ws"));
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        socket.Options.SetRequestHeader("KALSHI-ACCESS-KEY", Value("kalshi-key-id"));
        socket.Options.SetRequestHeader("KALSHI-ACCESS-TIMESTAMP", timestamp);
        socket.Options.SetRequestHeader("KALSHI-ACCESS-SIGNATURE", Convert.ToBase64String(rsa.SignData(Encoding.UTF8.GetBytes(timestamp + "GET" + url.AbsolutePath), HashAlgorithmName.SHA256, RSASignaturePadding.Pss)));
        using var cancel = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(url, cancel.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"id":1,"cmd":"subscribe","params":{"channels":["cfbenchmarks_value"],"index_ids":["BRTI"]}}"""), System.Net.WebSockets.WebSocketMessageType.Text, true, cancel.Token);

        var answer = await ReceiveAsync(socket, cancel.Token);
        answer.GetProperty("id").GetInt64().Should().Be(1);
        if (refuse)
        {
            answer.GetProperty("type").GetString().Should().Be("error");
            answer.GetProperty("msg").GetProperty("code").GetInt32().Should().Be(17);
            return;
        }

        answer.GetProperty("type").GetString().Should().Be("subscribed");
        var seconds = new List<long>();
        while (seconds.Count < 3)
        {
            var frame = await ReceiveAsync(socket, cancel.Token);
            frame.GetProperty("type").GetString().Should().Be("cfbenchmarks_value");
            using var data = JsonDocument.Parse(frame.GetProperty("msg").GetProperty("data").GetString()!);
            var second = data.RootElement.GetProperty("time").GetInt64() / 1000;
            decimal.Parse(data.RootElement.GetProperty("value").GetString()!, CultureInfo.InvariantCulture)
                .Should().Be(KxCollector.Fakes.Kalshi.FakeKalshiWebSocket.IndexValueAt("BRTI", second));
            seconds.Add(second);
        }

        // The first may be the latest print again (sent at once on subscribe); then one a second.
        seconds.Skip(1).Zip(seconds.Skip(2), (a, b) => b - a).Should().OnlyContain(d => d == 1);
    }

    [Fact]
    public async Task With_trades_out_every_trade_published_is_logged_with_its_id_and_the_subscriptions_it_reached()
    {
        var log = Path.Combine(_dir.Path, "trades.log");
        var fakes = _fakes = FakesProcess.Start("kalshi", "--rate", "200", "--trades-out", log);
        await fakes.WaitReadyAsync(Timeout);
        var ticker = System.Text.RegularExpressions.Regex.Match(fakes.StandardOutput, @"ready: KXBTC15M open (\S+),").Groups[1].Value;
        ticker.Should().StartWith("KXBTC15M-", fakes.StandardOutput);
        // Lines are written as trades happen, so a first one, reaching nobody, shows before anyone subscribes.
        await Poll.UntilAsync(() => File.Exists(log) && File.ReadAllText(log).Contains('\n', StringComparison.Ordinal), Timeout, "a first trade line", () => fakes.Output);

        using var socket = new System.Net.WebSockets.ClientWebSocket();
        using var cancel = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(new Uri(fakes.Value("kalshi-ws")), cancel.Token);
        var subscribe = $$$"""{"id":1,"cmd":"subscribe","params":{"channels":["trade"],"market_tickers":["{{{ticker}}}"]}}""";
        await socket.SendAsync(Encoding.UTF8.GetBytes(subscribe), System.Net.WebSockets.WebSocketMessageType.Text, true, cancel.Token);
        (await ReceiveAsync(socket, cancel.Token)).GetProperty("type").GetString().Should().Be("subscribed");
        var received = new List<string>();
        while (received.Count < 5)
        {
            var frame = await ReceiveAsync(socket, cancel.Token);
            frame.GetProperty("type").GetString().Should().Be("trade");
            received.Add(frame.GetProperty("msg").GetProperty("trade_id").GetString()!);
        }

        socket.Abort();
        await fakes.TerminateAsync();
        using var exited = new CancellationTokenSource(Timeout);
        await fakes.Process.WaitForExitAsync(exited.Token);
        fakes.Process.ExitCode.Should().Be(0, fakes.Output);

        // "unix-ms trade-id subscriptions": one line per trade, as many as the exit report counts, in publishing order.
        var lines = (await File.ReadAllLinesAsync(log)).Select(l => l.Split(' ')).ToList();
        lines.Should().OnlyContain(f => f.Length == 3 && long.Parse(f[0], CultureInfo.InvariantCulture) > 1_700_000_000_000);
        var trades = System.Text.RegularExpressions.Regex.Match(fakes.StandardOutput, @"trades (\d+),").Groups[1].Value;
        lines.Should().HaveCount(int.Parse(trades, CultureInfo.InvariantCulture), fakes.StandardOutput);
        lines.Select(f => f[1]).Should().OnlyHaveUniqueItems();
        var reached = lines.ToDictionary(f => f[1], f => int.Parse(f[2], CultureInfo.InvariantCulture));
        received.Should().OnlyContain(id => reached.ContainsKey(id) && reached[id] == 1, "each trade received was logged as reaching the one subscription");
        reached[lines[0][1]].Should().Be(0, "the first trade was published before the subscription");
    }

    private static async Task<JsonElement> ReceiveAsync(System.Net.WebSockets.ClientWebSocket socket, CancellationToken token)
    {
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, token);
        using var doc = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
        return doc.RootElement.Clone();
    }
}
