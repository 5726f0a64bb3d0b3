using KxCollector.Records;
using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.Fakes.Kalshi;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace KxCollector.Tests.Kalshi;

/// <summary>
/// The real host against the fake Kalshi, in real time (a few seconds each). The exchange feeds point at closed
/// local ports for now, so ticks carry null prices and settlements brti_samples 0.
/// TODO after merging the feeds branch: start the exchange fakes here and assert brti_avg60 against their mids.
/// </summary>
public sealed class KalshiHostIntegrationTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private FakeKalshiServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeKalshiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Ticks_carry_the_signed_poll_s_markets_through_a_roll_and_a_settlement_line_appears_once()
    {
        var now = TimeProvider.System.GetUtcNow();
        var closing = new FakeMarket
        {
            Ticker = "KXBTC15M-26JUL222315-15",
            OpenTime = now.AddMinutes(-10),
            CloseTime = now.AddSeconds(5),
            FinalizeAfterClose = TimeSpan.FromSeconds(1.5),
            FloorStrike = 65744.55m,
            ExpirationValue = "65,776.62",
        };
        var next = new FakeMarket { Ticker = "KXBTC15M-26JUL222330-30", OpenTime = closing.CloseTime, CloseTime = closing.CloseTime.AddMinutes(1), FloorStrike = null };
        _fake.AddMarket(closing);
        _fake.AddMarket(next);
        _fake.RequireSignatures(TestKeys.PublicPem, TestKeys.KeyId);
        var keyPath = TestKeys.WriteKeyFile(_dir.Path, TestKeys.Pkcs1Pem);

        using var host = BuildHost(keyPath);
        await host.StartAsync();
        try
        {
            await WaitUntilAsync(() => SettlementLines().Count > 0 && TickMarkets().Any(m => m.Any(e => e.Ticker == next.Ticker)), TimeSpan.FromSeconds(15));
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }
        finally
        {
            await host.StopAsync();
        }

        var ticks = TickMarkets();
        var first = ticks.First(m => m.Count > 0).Single();
        first.Ticker.Should().Be(closing.Ticker);
        first.Json.Should().MatchRegex("""^\{"ticker":"KXBTC15M-26JUL222315-15","status":"active","yes_bid":5.6,"yes_ask":5.7,"no_bid":94.3,"no_ask":94.4,"last_price":5.6,"volume":1552141.8,"open_interest":480551.08,"strike":65744.55,"secs_left":[1-5],"age_ms":\d+,"src":"rest"\}$""");
        var rolled = ticks.First(m => m.Any(e => e.Ticker == next.Ticker));
        rolled.Select(e => e.Ticker).Should().BeInAscendingOrder(StringComparer.Ordinal);
        rolled.Single(e => e.Ticker == next.Ticker).Json.Should().Contain("\"strike\":null");

        var settlement = SettlementLines().Should().ContainSingle().Subject;
        settlement.GetProperty("ticker").GetString().Should().Be(closing.Ticker);
        settlement.GetProperty("close_time").GetString().Should().Be(KxCollector.Records.JsonTimestamps.ToText(closing.CloseTime));
        settlement.GetProperty("result").GetString().Should().Be("yes");
        settlement.GetProperty("expiration_value").GetRawText().Should().Be("65776.62");
        settlement.GetProperty("strike").GetRawText().Should().Be("65744.55");
        settlement.GetProperty("brti_avg60").ValueKind.Should().Be(JsonValueKind.Null, "no exchange feeds run in this test");
        settlement.GetProperty("brti_samples").GetInt32().Should().Be(0);

        ticks.Last().Should().NotContain(e => e.Ticker == closing.Ticker, "a settled market leaves the tick");
        _fake.Requests.Should().NotBeEmpty().And.OnlyContain(r => r.SignatureValid == true && r.StatusCode == 200);
        var perSecond = _fake.Requests.GroupBy(r => r.ReceivedAt.ToUnixTimeSeconds()).Max(g => g.Count());
        perSecond.Should().BeLessThanOrEqualTo(5, "requests are paced far below Kalshi's 20 reads/s");
    }

    [Fact]
    public async Task Kalshi_errors_never_stop_the_ticks_and_markets_return_when_it_recovers()
    {
        var now = TimeProvider.System.GetUtcNow();
        _fake.AddMarket(new FakeMarket { Ticker = "KXBTC15M-26JUL222315-15", OpenTime = now.AddMinutes(-1), CloseTime = now.AddMinutes(5) });
        _fake.FailFor(TimeSpan.FromSeconds(2.5), 500);

        using var host = BuildHost(keyPath: null);
        await host.StartAsync();
        try
        {
            await WaitUntilAsync(() => TickMarkets().Any(m => m.Count == 1), TimeSpan.FromSeconds(15));
        }
        finally
        {
            await host.StopAsync();
        }

        var ticks = TickMarkets();
        ticks.Should().HaveCountGreaterThanOrEqualTo(2, "ticks were written while Kalshi answered 500");
        ticks[0].Should().BeEmpty();
        _fake.Requests.Should().Contain(r => r.StatusCode == 500).And.OnlyContain(r => r.Signature == null);
    }

    [Fact]
    public async Task A_bad_key_file_fails_host_start_with_a_configuration_error()
    {
        var keyPath = TestKeys.WriteKeyFile(_dir.Path, TestKeys.PublicPem);
        using var host = BuildHost(keyPath);

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<ConfigurationException>()).Which.Message.Should().Contain(keyPath);
    }

    private IHost BuildHost(string? keyPath) =>
        CollectorTestHost.Build(CollectorTestHost.Options(_dir.Path, KalshiTestRig.Options(_fake, keyPath: keyPath)));

    private List<string> DataLines() =>
        Directory.GetFiles(_dir.Path, "kxbtc15m-*.jsonl").OrderBy(f => f, StringComparer.Ordinal)
            .SelectMany(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            })
            .ToList();

    private List<JsonElement> SettlementLines() =>
        DataLines().Where(l => l.StartsWith("{\"type\":\"settlement\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private List<List<(string Ticker, string Json)>> TickMarkets() =>
        DataLines().Where(l => l.StartsWith("{\"type\":\"tick\"", StringComparison.Ordinal))
            .Select(l =>
            {
                using var doc = JsonDocument.Parse(l);
                return doc.RootElement.GetProperty("markets").EnumerateArray()
                    .Select(e => (e.GetProperty("ticker").GetString()!, e.GetRawText()))
                    .ToList();
            })
            .ToList();

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!condition())
        {
            TimeProvider.System.GetUtcNow().Should().BeBefore(deadline, "the condition should hold within {0}", timeout);
            await Task.Delay(100);
        }
    }
}
