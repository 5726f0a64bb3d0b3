using System.Text.Json;
using KxCollector.Feeds;
using KxCollector.Pricing;
using KxCollector.Status;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Status;

public sealed class StatusFileTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 0, 0, 0, 400, TimeSpan.Zero);
    private readonly StatusRig _rig = new(Start);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Status_json_reports_ticks_today_feeds_and_the_process()
    {
        _rig.Feeds[Exchange.Coinbase].MarkConnected(Start);
        _rig.Feeds[Exchange.Kraken].MarkReconnecting();
        _rig.Feeds[Exchange.Kraken].MarkReconnecting();
        _rig.Feeds[Exchange.Kraken].MarkDisconnected("connection refused");
        for (var i = 0; i < 10; i++)
        {
            _rig.Time.Advance(TimeSpan.FromSeconds(i == 4 ? 2 : 1)); // 00:00:05 is never ticked
            _rig.PublishQuote(Exchange.Coinbase, 100m, 101m);
            _rig.Tick();
        }

        var root = WriteAndRead();

        root.GetProperty("healthy").GetBoolean().Should().BeTrue();
        root.GetProperty("problems").GetArrayLength().Should().Be(0);
        root.GetProperty("pid").GetInt32().Should().Be(Environment.ProcessId);
        root.GetProperty("started_at").GetString().Should().Be("2026-11-21T00:00:00.400Z");
        root.GetProperty("version").GetString().Should().NotBeNullOrEmpty();
        root.GetProperty("tick").GetProperty("last_at").GetString().Should().Be("2026-11-21T00:00:11.400Z");
        var today = root.GetProperty("today");
        today.GetProperty("ticks").GetInt64().Should().Be(10);
        today.GetProperty("lines").GetInt64().Should().Be(10);
        today.GetProperty("file").GetString().Should().Be(_rig.Dir.Combine("kxbtc15m-2026-11-21.jsonl"));
        today.GetProperty("missing_seconds").GetInt64().Should().Be(2, "00:00:00 (before start) and 00:00:05 have no tick");
        today.GetProperty("missing_seconds_since_first_tick").GetInt64().Should().Be(1);
        var coinbase = root.GetProperty("feeds").GetProperty("coinbase");
        coinbase.GetProperty("connected").GetBoolean().Should().BeTrue();
        coinbase.GetProperty("fresh").GetBoolean().Should().BeTrue();
        var kraken = root.GetProperty("feeds").GetProperty("kraken");
        kraken.GetProperty("connected").GetBoolean().Should().BeFalse();
        kraken.GetProperty("fresh").GetBoolean().Should().BeFalse();
        kraken.GetProperty("reconnects").GetInt64().Should().Be(2);
        kraken.GetProperty("last_error").GetString().Should().Be("connection refused");
        root.GetProperty("kalshi").GetProperty("state").GetString().Should().Be("not_configured");
    }

    [Fact]
    public void A_stalled_tick_loop_and_no_fresh_feed_are_reported_as_problems()
    {
        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        _rig.Tick();
        _rig.Time.Advance(TimeSpan.FromSeconds(6));

        var root = WriteAndRead();

        root.GetProperty("healthy").GetBoolean().Should().BeFalse();
        root.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).Should()
            .Equal("no tick for 6 s", "no exchange feed has a fresh price");
    }

    [Fact]
    public void A_contributor_writes_its_own_section_in_place_of_the_kalshi_placeholder()
    {
        using var service = new StatusFileService(_rig.Options, _rig.Builder, [new FakeKalshi()], _rig.Time, new ListLogger<StatusFileService>());

        service.WriteOnce();

        var kalshi = Read().GetProperty("kalshi");
        kalshi.GetProperty(KalshiStatusKeys.State).GetString().Should().Be("polling");
        kalshi.GetProperty(KalshiStatusKeys.MarketsTracked).GetInt32().Should().Be(4);
    }

    [Fact]
    public async Task The_file_is_replaced_whole_so_a_reader_never_sees_a_partial_document()
    {
        using var service = new StatusFileService(_rig.Options, _rig.Builder, [], _rig.Time, new ListLogger<StatusFileService>());
        service.WriteOnce();
        var path = StatusFileService.PathIn(_rig.Dir.Path);
        using var stop = new CancellationTokenSource();
        var reads = 0;

        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Throws (and fails the test) on a torn or empty document.
                using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
                doc.RootElement.GetProperty("schema").GetInt32().Should().Be(1);
                Interlocked.Increment(ref reads);
            }
        });
        for (var i = 0; i < 300 || (Volatile.Read(ref reads) < 100 && !reader.IsCompleted); i++)
        {
            _rig.Time.Advance(TimeSpan.FromSeconds(1));
            _rig.Tick();
            service.WriteOnce();
        }

        await stop.CancelAsync();
        await reader;
        reads.Should().BeGreaterThanOrEqualTo(100);
        File.Exists(path + ".tmp").Should().BeFalse("the temporary file is renamed, not left behind");
    }

    [Fact]
    public void A_status_file_that_cannot_be_written_is_logged_once_and_recording_goes_on()
    {
        var logger = new ListLogger<StatusFileService>();
        using var service = new StatusFileService(_rig.Options, _rig.Builder, [], _rig.Time, logger);
        Directory.CreateDirectory(_rig.Dir.Combine("status.json.tmp")); // the temporary name is taken by a folder

        service.WriteOnce();
        service.WriteOnce();
        Directory.Delete(_rig.Dir.Combine("status.json.tmp"));
        service.WriteOnce();

        logger.Entries.Select(e => e.EventId).Should().Equal(520, 521);
        File.Exists(StatusFileService.PathIn(_rig.Dir.Path)).Should().BeTrue();
    }

    private JsonElement WriteAndRead()
    {
        using var service = new StatusFileService(_rig.Options, _rig.Builder, [], _rig.Time, new ListLogger<StatusFileService>());
        service.WriteOnce();
        return Read();
    }

    private JsonElement Read() => JsonDocument.Parse(File.ReadAllBytes(StatusFileService.PathIn(_rig.Dir.Path))).RootElement;

    private sealed class FakeKalshi : IStatusContributor
    {
        public string Section => KalshiStatusKeys.Section;

        public void WriteStatus(Utf8JsonWriter writer, DateTimeOffset now)
        {
            writer.WriteString(KalshiStatusKeys.State, "polling");
            writer.WriteNumber(KalshiStatusKeys.MarketsTracked, 4);
        }
    }
}
