using Microsoft.Extensions.Time.Testing;
using System.Security.Cryptography;
using System.Text;
using KxCollector.Kalshi.Index;
using KxCollector.Kalshi.Signing;
using KxCollector.Kalshi.Stream;
using KxCollector.Recording;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace KxCollector.Tests.Kalshi.Index;

/// <summary>
/// The lifecycle connection's cfbenchmarks_value subscription, fed frames by hand: the subscribe it sends, the ack
/// Kalshi's page shows (no channel name), a refusal that costs nothing else and is retried only after 10 minutes.
/// </summary>
public sealed class IndexStreamConnectionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 7, 23, 3, 14, 40, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly StreamStats _stats = new();
    private readonly ListLogger _log = new();
    private readonly Sink _sink = new();
    private readonly KalshiSigner _signer;
    private readonly OfficialIndexFeed _feed;
    private readonly KalshiStreamConnection _connection;

    public IndexStreamConnectionTests()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.Pkcs1Pem);
        _signer = new KalshiSigner(TestKeys.KeyId, rsa);
        var board = new OfficialIndexBoard(["BRTI", "ETHUSD_RTI"]);
        var recorder = new IndexRecorder(board, [new IndexSeries("KXBTC15M", "kxbtc15m", "BRTI", _sink)], Path.GetTempPath(), Now);
        _feed = new OfficialIndexFeed(board, recorder, _log);
        var streamRecorder = new StreamRecorder([new StreamSeries("KXBTC15M", _sink, null)], new TradeDeduplicator(), _stats);
        _connection = new KalshiStreamConnection(0, lifecycle: true, KalshiTestRig.Options(), _signer, new StreamBoard(), streamRecorder, _stats, _time, NullLogger.Instance)
        {
            OfficialIndex = _feed,
        };
        _connection.BeginSession();
    }

    public void Dispose() => _signer.Dispose();

    [Fact]
    public void The_subscribe_names_the_index_ids_and_the_ack_without_a_channel_marks_it_subscribed()
    {
        var commands = Commands(Now);
        var subscribe = commands.Should().ContainSingle(c => c.Contains("cfbenchmarks_value", StringComparison.Ordinal)).Subject;
        subscribe.Should().Be("""{"id":2,"cmd":"subscribe","params":{"channels":["cfbenchmarks_value"],"index_ids":["BRTI","ETHUSD_RTI"]}}""");

        Feed("""{"id":2,"type":"subscribed","sid":7}""");
        _feed.State.Should().Be(OfficialIndexState.Subscribed);
        Commands(Now.AddSeconds(1)).Should().NotContain(c => c.Contains("cfbenchmarks_value", StringComparison.Ordinal), "one subscription per session");

        Feed(Fixtures.Frames("kalshi-ws").First(l => l.StartsWith("{\"type\":\"cfbenchmarks_value\"", StringComparison.Ordinal)));
        _sink.Lines.Should().ContainSingle().Which.Should().StartWith("""{"type":"index","ts":"2026-07-23T03:14:41.000Z","index_id":"BRTI","value":65790.41,""");
        _feed.Board.AverageFor(0, 1784776500)!.WindowSize.Should().Be(41);
        _stats.MalformedFrames.Should().Be(0);
    }

    [Fact]
    public void A_refusal_costs_the_index_only_and_is_retried_after_ten_minutes_on_the_same_connection()
    {
        Commands(Now);
        var act = () => Feed("""{"id":2,"type":"error","msg":{"code":17,"msg":"Channel not available for this account"}}""");
        act.Should().NotThrow("a refused index never ends the session");

        _feed.State.Should().Be(OfficialIndexState.Refused);
        _feed.RefusedError.Should().Be("code 17: Channel not available for this account");
        _log.Entries.Count(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Should().Be(1);
        Commands(Now.AddMinutes(9)).Should().NotContain(c => c.Contains("cfbenchmarks_value", StringComparison.Ordinal));

        var retry = Commands(Now.AddMinutes(10)).Should().ContainSingle(c => c.Contains("cfbenchmarks_value", StringComparison.Ordinal)).Subject;
        Feed($$$"""{"id":{{{IdOf(retry)}}},"type":"error","msg":{"code":17,"msg":"Channel not available for this account"}}""");
        _log.Entries.Count(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Should().Be(1, "one warning, not one per retry");
        Commands(Now.AddMinutes(15)).Should().NotContain(c => c.Contains("cfbenchmarks_value", StringComparison.Ordinal), "the retry clock restarted");
    }

    [Fact]
    public void A_terminal_error_on_the_index_subscription_subscribes_the_index_again_without_a_reconnect()
    {
        Commands(Now);
        Feed("""{"id":2,"type":"subscribed","sid":7}""");
        _feed.State.Should().Be(OfficialIndexState.Subscribed);

        var act = () => Feed("""{"type":"error","sid":7,"msg":{"code":25,"msg":"Subscription buffer overflow"}}""");
        act.Should().NotThrow("a subscription Kalshi ends costs that subscription, not the session");
        _stats.SubscriptionsEnded.Should().Be(1);
        _feed.State.Should().Be(OfficialIndexState.Pending);

        var again = Commands(Now.AddSeconds(1)).Should().ContainSingle(c => c.Contains("cfbenchmarks_value", StringComparison.Ordinal)).Subject;
        again.Should().Contain("\"index_ids\":[\"BRTI\",\"ETHUSD_RTI\"]");
        Feed($$$"""{"id":{{{IdOf(again)}}},"type":"subscribed","sid":9}""");
        _feed.State.Should().Be(OfficialIndexState.Subscribed);
    }

    [Fact]
    public void A_malformed_print_is_counted_and_skipped()
    {
        Feed("""{"type":"cfbenchmarks_value","sid":7,"seq":3,"msg":{"index_id":"BRTI","received_at":1,"data":"{oops"}}""");
        _stats.MalformedFrames.Should().Be(1);
        _feed.MalformedFrames.Should().Be(1);
        _sink.Lines.Should().BeEmpty();
    }

    /// <summary>The commands sent at <paramref name="now"/>; the lifecycle subscribe and liveness probes are answered at once.</summary>
    private List<string> Commands(DateTimeOffset now)
    {
        _time.SetUtcNow(now);
        var commands = _connection.NextCommands(now).Select(c => Encoding.UTF8.GetString(c)).ToList();
        foreach (var command in commands)
        {
            var id = IdOf(command);
            if (command.Contains("market_lifecycle_v2", StringComparison.Ordinal))
            {
                Feed($$$"""{"id":{{{id}}},"type":"subscribed","msg":{"channel":"market_lifecycle_v2","sid":1}}""");
            }
            else if (command.Contains("list_subscriptions", StringComparison.Ordinal))
            {
                Feed($$$"""{"id":{{{id}}},"type":"ok","msg":[]}""");
            }
        }

        return commands;
    }

    private static long IdOf(string command)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(command);
        return doc.RootElement.GetProperty("id").GetInt64();
    }

    private void Feed(string json) => _connection.OnFrame(Encoding.UTF8.GetBytes(json), _time.GetUtcNow());

    private sealed class Sink : IRecordSink
    {
        public List<string> Lines { get; } = [];

        public bool Append(DateTimeOffset timestamp, ReadOnlySpan<byte> record)
        {
            Lines.Add(Encoding.UTF8.GetString(record));
            return true;
        }

        public void FlushToDisk()
        {
        }
    }
}
