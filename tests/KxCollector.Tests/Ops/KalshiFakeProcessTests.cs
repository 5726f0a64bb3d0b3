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
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private Process? _process;

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Prints_its_urls_and_key_id_serves_one_open_KXBTC15M_market_to_signed_requests_and_stops_on_SIGTERM()
    {
        var keyPath = Path.Combine(_dir.Path, "kalshi.pem");
        Start("kalshi", "--rate", "20", "--key-out", keyPath);
        await Poll.UntilAsync(() => Stdout().Contains("ready:", StringComparison.Ordinal), Timeout, "the ready line", Output);

        var lines = Stdout().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string Value(string key) => lines.Single(l => l.StartsWith(key + " ", StringComparison.Ordinal))[(key.Length + 1)..];
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

        (await Shell.RunAsync("kill", ["-TERM", _process!.Id.ToString(CultureInfo.InvariantCulture)])).ExitCode.Should().Be(0);
        using var exited = new CancellationTokenSource(Timeout);
        await _process.WaitForExitAsync(exited.Token);
        _process.ExitCode.Should().Be(0, Output());
        Stdout().Should().MatchRegex(@"sent: kalshi \d+ ").And.MatchRegex(@"determined [1-9]\d*\)", "the previous quarter's market is announced determined on the stream");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Its_WebSocket_publishes_a_cfbenchmarks_value_print_a_second_or_refuses_the_subscription(bool refuse)
    {
        var keyPath = Path.Combine(_dir.Path, "kalshi.pem");
        Start(refuse ? ["kalshi", "--key-out", keyPath, "--refuse-index", "17"] : ["kalshi", "--key-out", keyPath]);
        await Poll.UntilAsync(() => Stdout().Contains("ready:", StringComparison.Ordinal), Timeout, "the ready line", Output);
        var lines = Stdout().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string Value(string key) => lines.Single(l => l.StartsWith(key + " ", StringComparison.Ordinal))[(key.Length + 1)..];

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

    private static async Task<JsonElement> ReceiveAsync(System.Net.WebSockets.ClientWebSocket socket, CancellationToken token)
    {
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, token);
        using var doc = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
        return doc.RootElement.Clone();
    }

    private void Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kxfakes.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is not null)
        {
            lock (target)
            {
                target.AppendLine(line);
            }
        }
    }

    private string Stdout()
    {
        lock (_stdout)
        {
            return _stdout.ToString();
        }
    }

    private string Output()
    {
        lock (_stderr)
        {
            return "stdout:\n" + Stdout() + "stderr:\n" + _stderr;
        }
    }
}
