using System.Collections.Concurrent;
using System.Text;
using KxCollector.Kalshi.Stream;
using KxCollector.Recording;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Recording;

/// <summary>
/// The stream's lines leave the thread that delivered the frame (with inline socket completions, the thread every
/// socket shares): a sink that waits (its lock, an fsync) holds up the writer loop, never the caller, and every line
/// is written once, in order, by the time the hand-off has drained (shutdown).
/// </summary>
public sealed class RecordHandOffTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 22, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_trade_whose_sink_is_blocked_does_not_block_the_caller_and_is_written_once_in_order_when_it_opens()
    {
        var sink = new GatedSink();
        var handOff = new RecordHandOff(new ListLogger<RecordHandOff>());
        var recorder = new StreamRecorder([new StreamSeries("KXNFLGAME", sink, null)], new TradeDeduplicator(), new StreamStats(), handOff);
        var results = new List<bool>();

        // The socket thread: a thread of its own, never the writer's.
        var socket = new Thread(() =>
        {
            results.Add(recorder.RecordTrade(Trade("t-1"), Received));
            results.Add(recorder.RecordTrade(Trade("t-2"), Received));
            results.Add(recorder.RecordTrade(Trade("t-1"), Received));
            results.Add(recorder.RecordLifecycle(Lifecycle("determined"), Received));
        });
        sink.CallerThread = socket;
        socket.Start();
        socket.Join();

        results.Should().Equal([true, true, false, true], "a repeated trade is still written once");
        sink.OnCallerThread.Should().Be(0, "the caller only formats and hands its line over");

        await sink.Entered.Task;
        sink.Lines.Should().BeEmpty("the sink is still blocked on the first line");
        handOff.Pending.Should().Be(3);

        sink.Gate.SetResult();
        await handOff.DrainAsync();

        sink.Lines.Select(Kind).Should().Equal("trade t-1", "trade t-2", "lifecycle determined");
        handOff.Pending.Should().Be(0);
        handOff.HandedOver.Should().Be(3);
        handOff.Written.Should().Be(3);
        handOff.PeakPending.Should().Be(3);
    }

    [Fact]
    public async Task Stopping_writes_every_line_still_queued_and_later_lines_are_written_by_their_caller()
    {
        var sink = new GatedSink();
        var handOff = new RecordHandOff(new ListLogger<RecordHandOff>());
        for (var i = 0; i < 100; i++)
        {
            handOff.Append(sink, Received, Encoding.UTF8.GetBytes($"line {i}"));
        }

        await sink.Entered.Task;
        var stop = handOff.StopAsync(new CancellationToken(canceled: true));
        stop.IsCompleted.Should().BeFalse("lines are still queued behind the blocked one, and a shutdown waits for them");

        sink.Gate.SetResult();
        await stop;

        sink.Lines.Should().Equal(Enumerable.Range(0, 100).Select(i => $"line {i}"));
        sink.CallerThread = Thread.CurrentThread;
        handOff.Append(sink, Received, "after stop"u8.ToArray());
        sink.Lines.Should().HaveCount(101).And.EndWith("after stop");
        sink.OnCallerThread.Should().Be(1, "after the drain nothing else would write it");
        handOff.WrittenDirectly.Should().Be(1);
    }

    [Fact]
    public async Task A_sink_that_throws_costs_its_line_only_and_is_logged()
    {
        var log = new ListLogger<RecordHandOff>();
        var handOff = new RecordHandOff(log);
        var sink = new GatedSink { ThrowOn = "bad" };
        sink.Gate.SetResult();

        handOff.Append(sink, Received, "one"u8.ToArray());
        handOff.Append(sink, Received, "bad"u8.ToArray());
        handOff.Append(sink, Received, "two"u8.ToArray());
        await handOff.DrainAsync();

        sink.Lines.Should().Equal("one", "two");
        log.Entries.Should().ContainSingle(e => e.EventId == 315);
        handOff.Pending.Should().Be(0);
    }

    [Fact]
    public async Task A_copied_line_reaches_its_sink_byte_for_byte_and_its_observer_hears_after_the_append_on_the_writer_thread()
    {
        var handOff = new RecordHandOff(new ListLogger<RecordHandOff>());
        var sink = new GatedSink();
        var observer = new AppendLog(sink);
        var buffer = "{\"ts\":\"one\"}{\"ts\":\"two\"}"u8.ToArray();

        handOff.Append(sink, Received, buffer.AsSpan(0, 12), observer);
        buffer.AsSpan().Clear(); // the caller's buffer is its own again at once (the tick formatter reuses it)
        handOff.Append(sink, Received.AddSeconds(1), "{\"ts\":\"two\"}"u8, observer);
        sink.Gate.SetResult();
        await handOff.DrainAsync();

        sink.Lines.Should().Equal("{\"ts\":\"one\"}", "{\"ts\":\"two\"}");
        observer.Calls.Should().Equal((Received, true, 1), (Received.AddSeconds(1), true, 2));
        observer.Threads.Should().OnlyContain(name => name == "kx-records");
    }

    [Fact]
    public async Task Lines_from_many_threads_at_once_are_each_written_once_in_each_thread_s_order_none_left_waiting()
    {
        // Four producers racing the writer's sleep and wake: a lost wake-up leaves lines queued with the writer
        // asleep, a double write or a reorder shows in the per-producer sequence.
        var handOff = new RecordHandOff(new ListLogger<RecordHandOff>());
        var sink = new GatedSink();
        sink.Gate.SetResult();
        const int perProducer = 5_000;
        var producers = Enumerable.Range(0, 4).Select(p => new Thread(() =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                handOff.Append(sink, Received, Encoding.UTF8.GetBytes($"{p} {i}"));
                if (i % 100 == 0)
                {
                    Thread.Yield(); // let the writer catch up and go to sleep now and then
                }
            }
        })).ToList();
        producers.ForEach(t => t.Start());
        producers.ForEach(t => t.Join());

        // Before any drain (which would wake the writer anyway): every line is written with nobody appending more.
        await Poll.UntilAsync(() => handOff.Written == 4 * perProducer, TimeSpan.FromSeconds(30), () => $"{handOff.Pending} lines still waiting, the writer asleep");
        await handOff.DrainAsync().WaitAsync(TimeSpan.FromSeconds(30));

        handOff.Written.Should().Be(4 * perProducer);
        handOff.Pending.Should().Be(0);
        var byProducer = sink.Lines.Select(l => l.Split(' ')).GroupBy(f => f[0], f => int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
        byProducer.Should().HaveCount(4).And.OnlyContain(g => g.SequenceEqual(Enumerable.Range(0, perProducer)));
    }

    private static string Kind(string line) =>
        line.Contains("\"type\":\"trade\"", StringComparison.Ordinal)
            ? "trade " + line.Split("\"trade_id\":\"")[1].Split('"')[0]
            : "lifecycle " + line.Split("\"event\":\"")[1].Split('"')[0];

    private static TradeFrame Trade(string id) => Frame<TradeFrame>(
        $$$"""{"type":"trade","sid":3,"seq":8,"msg":{"trade_id":"{{{id}}}","market_ticker":"KXNFLGAME-26NOV22KCBUF-KC","yes_price_dollars":"0.6150","no_price_dollars":"0.3850","count_fp":"1.00","taker_side":"yes","ts_ms":1795370400123}}""");

    private static LifecycleFrame Lifecycle(string eventType) => Frame<LifecycleFrame>(
        $$$"""{"type":"market_lifecycle_v2","sid":4,"msg":{"event_type":"{{{eventType}}}","market_ticker":"KXNFLGAME-26NOV22KCBUF-KC"}}""");

    private static T Frame<T>(string json)
        where T : KalshiFrame
    {
        KalshiFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out var frame, out var error).Should().BeTrue(error);
        return frame.Should().BeOfType<T>().Subject;
    }

    /// <summary>
    /// A sink that blocks (like a writer in an fsync, or behind the tick writer's lock) until the test opens it. On the
    /// caller's own thread it counts the call and does not wait, so a regression fails the test instead of hanging it.
    /// </summary>
    private sealed class GatedSink : IRecordSink
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private int _onCallerThread;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Thread? CallerThread { get; set; }

        public string? ThrowOn { get; init; }

        public int OnCallerThread => Volatile.Read(ref _onCallerThread);

        public IReadOnlyList<string> Lines => _lines.ToArray();

        public bool Append(DateTimeOffset timestamp, ReadOnlySpan<byte> record)
        {
            var line = Encoding.UTF8.GetString(record);
            if (ReferenceEquals(Thread.CurrentThread, CallerThread))
            {
                Interlocked.Increment(ref _onCallerThread);
            }
            else
            {
                Entered.TrySetResult();
                Gate.Task.Wait();
            }

            if (line == ThrowOn)
            {
                throw new InvalidOperationException("a sink bug");
            }

            _lines.Enqueue(line);
            return true;
        }

        public void FlushToDisk()
        {
        }
    }

    /// <summary>Notes each call with how many lines its sink held by then (so "after the append" is checked).</summary>
    private sealed class AppendLog(GatedSink sink) : IAppendObserver
    {
        public List<(DateTimeOffset At, bool Written, int LinesThen)> Calls { get; } = [];

        public List<string?> Threads { get; } = [];

        public void OnAppended(DateTimeOffset timestamp, bool written)
        {
            Calls.Add((timestamp, written, sink.Lines.Count));
            Threads.Add(Thread.CurrentThread.Name);
        }
    }
}
