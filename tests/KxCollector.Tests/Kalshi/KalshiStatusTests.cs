using System.Buffers;
using System.Text.Json;
using KxCollector.Kalshi;
using KxCollector.Kalshi.Stream;
using KxCollector.Status;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Kalshi;

/// <summary>
/// The "kalshi" section of status.json as `botctl status` reads it, driven by the real tracker and recorder over a
/// scripted Kalshi and a hand-driven clock.
/// </summary>
public sealed class KalshiStatusTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 23, 3, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(T0.AddMinutes(5));
    private readonly ScriptedMarketSource _source;

    public KalshiStatusTests() => _source = new ScriptedMarketSource(_time);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Polls_show_as_polling_then_error_with_the_markets_kept_then_polling_again()
    {
        _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)));
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);
        var status = Contributor(rig, new StreamStats(), streamConfigured: false);

        Section(status).GetProperty(KalshiStatusKeys.State).GetString().Should().Be("starting");

        await rig.Tracker.PollAsync(CancellationToken.None);
        var firstPollAt = _time.GetUtcNow();
        var ok = Section(status);
        ok.GetProperty(KalshiStatusKeys.State).GetString().Should().Be("polling");
        ok.GetProperty(KalshiStatusKeys.MarketsTracked).GetInt32().Should().Be(1);
        ok.GetProperty(KalshiStatusKeys.LastPollAt).GetString().Should().Be("2026-07-23T03:05:00.000Z");
        ok.GetProperty(KalshiStatusKeys.LastError).ValueKind.Should().Be(JsonValueKind.Null);
        ok.GetProperty("series").GetProperty("KXBTC15M").GetInt32().Should().Be(1);

        _source.Failing = true;
        await rig.RunUntilAsync(firstPollAt.AddSeconds(30));
        var down = Section(status);
        down.GetProperty(KalshiStatusKeys.State).GetString().Should().Be("error");
        down.GetProperty(KalshiStatusKeys.MarketsTracked).GetInt32().Should().Be(1, "a failed poll keeps the last known markets");
        down.GetProperty(KalshiStatusKeys.LastError).GetString().Should().Contain("503");
        down.GetProperty(KalshiStatusKeys.LastPollAt).GetString().Should().Be("2026-07-23T03:05:00.000Z");
        down.GetProperty("failing_since").GetString().Should().NotBeNull();

        _source.Failing = false;
        await rig.RunUntilAsync(_time.GetUtcNow().AddSeconds(10));
        var back = Section(status);
        back.GetProperty(KalshiStatusKeys.State).GetString().Should().Be("polling");
        back.GetProperty("failing_since").ValueKind.Should().Be(JsonValueKind.Null);
        back.GetProperty(KalshiStatusKeys.LastError).GetString().Should().Contain("503", "the last error stays visible after recovery");
        DateTimeOffset.Parse(back.GetProperty(KalshiStatusKeys.LastPollAt).GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeAfter(firstPollAt.AddSeconds(30));
    }

    [Fact]
    public async Task The_last_settlement_recorded_is_named_with_its_time()
    {
        var market = _source.Add(new ScriptedMarket("KXBTC15M-26JUL222315-15", T0, T0.AddMinutes(15)) { FinalizedAt = T0.AddMinutes(15).AddSeconds(11) });
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);
        var status = Contributor(rig, new StreamStats(), streamConfigured: false);

        Section(status).GetProperty(KalshiStatusKeys.LastSettlementTicker).ValueKind.Should().Be(JsonValueKind.Null);

        await rig.RunUntilAsync(T0.AddMinutes(16));

        var section = Section(status);
        section.GetProperty(KalshiStatusKeys.LastSettlementTicker).GetString().Should().Be(market.Ticker);
        var at = DateTimeOffset.Parse(section.GetProperty(KalshiStatusKeys.LastSettlementAt).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        at.Should().BeOnOrAfter(market.FinalizedAt!.Value).And.BeBefore(market.FinalizedAt.Value.AddSeconds(5));
    }

    [Fact]
    public void The_stream_says_off_without_a_key_and_counts_open_connections_with_one()
    {
        using var rig = new KalshiTestRig(_dir.Path, _time, _source);
        var stats = new StreamStats();

        Section(Contributor(rig, stats, streamConfigured: false)).GetProperty("stream").GetProperty("state").GetString().Should().Be("off_no_key");

        var keyed = Contributor(rig, stats, streamConfigured: true);
        Section(keyed).GetProperty("stream").GetProperty("state").GetString().Should().Be("disconnected");

        stats.Connected();
        stats.Connected();
        stats.Disconnected();
        stats.Gap();
        var stream = Section(keyed).GetProperty("stream");
        stream.GetProperty("state").GetString().Should().Be("connected");
        stream.GetProperty("connections_open").GetInt32().Should().Be(1);
        stream.GetProperty("sequence_gaps").GetInt32().Should().Be(1);
    }

    private static KalshiStatusContributor Contributor(KalshiTestRig rig, StreamStats stats, bool streamConfigured)
    {
        var series = new KalshiSeries
        {
            Series = "KXBTC15M",
            SettlesOnBrti = true,
            TickPeriodSeconds = 1,
            Writer = rig.Writer,
            State = rig.State,
            Recorder = rig.Recorder,
            Board = rig.Board,
            Tracker = rig.Tracker,
        };
        return new KalshiStatusContributor([series], rig.Activity, stats, streamConfigured);
    }

    private JsonElement Section(KalshiStatusContributor contributor)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            contributor.WriteStatus(writer, _time.GetUtcNow());
            writer.WriteEndObject();
        }

        contributor.Section.Should().Be(KalshiStatusKeys.Section);
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }
}
