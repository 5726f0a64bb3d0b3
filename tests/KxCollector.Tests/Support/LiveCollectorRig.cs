using System.Globalization;
using System.Text.Json;
using KxCollector.Fakes.Exchanges;
using KxCollector.Fakes.Kalshi;
using KxCollector.Tests.Kalshi;
using Microsoft.Extensions.Hosting;
using Serilog.Core;
using Serilog.Events;

namespace KxCollector.Tests.Support;

/// <summary>
/// The real host on the system clock with HEALTH_PORT set, against the three exchange fakes and the Kalshi REST and
/// WebSocket fakes (signed, one open KXBTC15M market with a book), all on 127.0.0.1: what a user's collector is, minus
/// the internet. For the tests of /metrics, the status page and what they show.
/// </summary>
internal sealed class LiveCollectorRig : IAsyncDisposable
{
    public const string Market = "KXBTC15M-26JUL222315-15";

    private readonly LogSink _log = new();
    private IHost? _host;

    private LiveCollectorRig(FakeCoinbase coinbase, FakeKraken kraken, FakeBitstamp bitstamp, FakeKalshiServer rest, FakeKalshiWebSocket ws)
    {
        Coinbase = coinbase;
        Kraken = kraken;
        Bitstamp = bitstamp;
        Rest = rest;
        Ws = ws;
        Port = FreePorts.Loopback();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}") };
    }

    public TempDirectory Dir { get; } = new();

    public FakeCoinbase Coinbase { get; }

    public FakeKraken Kraken { get; }

    public FakeBitstamp Bitstamp { get; }

    public FakeKalshiServer Rest { get; }

    public FakeKalshiWebSocket Ws { get; }

    public int Port { get; }

    public HttpClient Http { get; }

    public string Log => _log.Text;

    public static async Task<LiveCollectorRig> StartAsync()
    {
        var rig = new LiveCollectorRig(
            await FakeCoinbase.StartAsync(),
            await FakeKraken.StartAsync(),
            await FakeBitstamp.StartAsync(),
            await FakeKalshiServer.StartAsync(),
            await FakeKalshiWebSocket.StartAsync());
        await rig.StartHostAsync();
        return rig;
    }

    /// <summary>Moves every exchange's quote around a new mid, so consecutive ticks record different numbers.</summary>
    public void SetMid(decimal mid)
    {
        Coinbase.SetQuote(mid - 0.01m, mid + 0.01m);
        Kraken.SetQuote(mid + 0.4m, mid + 0.6m);
        Bitstamp.SetQuote(mid - 1m, mid);
    }

    /// <summary>Every line of the primary series' files whose type is <paramref name="type"/>, parsed.</summary>
    public List<JsonElement> Lines(string type) =>
        Directory.GetFiles(Dir.Path, "kxbtc15m-*.jsonl").OrderBy(f => f, StringComparer.Ordinal)
            .SelectMany(ReadLines)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(e => e.GetProperty("type").GetString() == type)
            .ToList();

    public async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        await Ws.DisposeAsync();
        await Rest.DisposeAsync();
        await Coinbase.DisposeAsync();
        await Kraken.DisposeAsync();
        await Bitstamp.DisposeAsync();
        Dir.Dispose();
    }

    private async Task StartHostAsync()
    {
        foreach (var fake in new FakeExchange[] { Coinbase, Kraken, Bitstamp })
        {
            fake.QuotesPerSecond = 20;
        }

        SetMid(70000m);
        var now = TimeProvider.System.GetUtcNow();
        Rest.AddMarket(new FakeMarket { Ticker = Market, OpenTime = now.AddMinutes(-5), CloseTime = now.AddMinutes(10), FloorStrike = 69990.5m });
        Rest.RequireSignatures(TestKeys.PublicPem, TestKeys.KeyId);
        Ws.RequireSignatures(TestKeys.PublicPem, TestKeys.KeyId);
        Ws.SetBook(Market, [("0.4500", "120.00"), ("0.4600", "40.00")], [("0.5300", "80.00")]);
        await Ws.PublishTickerAsync(Market, "0.4600", "0.4700", price: "0.4600");
        var keyPath = TestKeys.WriteKeyFile(Dir.Path, TestKeys.Pkcs1Pem);

        var options = CollectorTestHost.Options(
            Dir.Path,
            KalshiTestRig.Options(Rest, Ws, keyPath),
            series: ["KXBTC15M"],
            bookDepth: 2,
            healthPort: Port,
            exchanges: (Coinbase.Url, Kraken.Url, Bitstamp.Url));
        _host = CollectorTestHost.Build(options, _log, LogEventLevel.Debug);
        await _host.StartAsync();
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();

        // Only whole lines: the last one may be in the middle of its write.
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n');
    }

    private sealed class LogSink : ILogEventSink
    {
        private readonly List<string> _lines = [];

        public string Text
        {
            get
            {
                lock (_lines)
                {
                    return string.Join(Environment.NewLine, _lines.TakeLast(40));
                }
            }
        }

        public void Emit(LogEvent logEvent)
        {
            lock (_lines)
            {
                _lines.Add(logEvent.RenderMessage(CultureInfo.InvariantCulture));
            }
        }
    }
}
