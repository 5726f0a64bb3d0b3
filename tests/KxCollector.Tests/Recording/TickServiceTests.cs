using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using KxCollector.Pricing;
using KxCollector.Recording;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Recording;

public sealed class TickServiceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 17, 0, 4, 400, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void DelayToNextSecond_aims_just_past_the_next_whole_second()
    {
        TickSchedule.DelayToNextSecond(Start).Should().Be(TimeSpan.FromMilliseconds(601));
        TickSchedule.DelayToNextSecond(Start.AddMilliseconds(600)).Should().Be(TimeSpan.FromMilliseconds(1001));
        TickSchedule.DelayToNextSecond(Start.AddMilliseconds(599.5)).Should().Be(TimeSpan.FromMilliseconds(1.5));
    }

    [Fact]
    public void SecondOf_floors_to_the_Unix_second()
    {
        TickSchedule.SecondOf(Start).Should().Be(Start.ToUnixTimeSeconds());
        TickSchedule.SecondOf(Start.AddMilliseconds(599)).Should().Be(Start.ToUnixTimeSeconds());
        TickSchedule.SecondOf(Start.AddMilliseconds(600)).Should().Be(Start.ToUnixTimeSeconds() + 1);
    }

    [Fact]
    public async Task Ticks_land_one_per_whole_second_with_the_board_sampled_at_that_moment()
    {
        await using var rig = await TickRig.StartAsync(Start);
        rig.Publish(Exchange.Coinbase, 70241.15m, 70241.16m);
        rig.Publish(Exchange.Kraken, 70244.2m, 70244.3m);
        rig.Publish(Exchange.Bitstamp, 70241m, 70242m);

        for (var i = 0; i < 5; i++)
        {
            await rig.AdvanceToAsync(Start.AddMilliseconds(601 + (i * 1000)));
            var tick = await rig.NextAsync();
            tick.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 21, 17, 0, 5 + i, 1, TimeSpan.Zero));
        }

        var last = JsonDocument.Parse(rig.Lines[^1].Line).RootElement;
        last.GetProperty("ts").GetString().Should().Be("2026-11-21T17:00:09.001Z");
        last.GetProperty("coinbase").GetDecimal().Should().Be(70241.155m);
        last.GetProperty("kraken").GetDecimal().Should().Be(70244.25m);
        last.GetProperty("bitstamp").GetDecimal().Should().Be(70241.5m);
        last.GetProperty("brti").GetDecimal().Should().Be(70241.5m);
        rig.Lines.Should().HaveCount(5);
    }

    [Fact]
    public async Task Tick_line_has_the_documented_keys_in_order()
    {
        await using var rig = await TickRig.StartAsync(Start);
        rig.Publish(Exchange.Kraken, 100m, 101m);

        await rig.AdvanceToAsync(Start.AddMilliseconds(601));
        var tick = await rig.NextAsync();

        tick.Line.Should().Be("{\"type\":\"tick\",\"ts\":\"2026-11-21T17:00:05.001Z\",\"brti\":100.5,\"coinbase\":null,\"kraken\":100.5,\"bitstamp\":null,\"markets\":[]}");
    }

    [Fact]
    public async Task A_series_that_does_not_settle_on_BRTI_ticks_on_its_own_period_with_markets_only()
    {
        await using var rig = await TickRig.StartAsync(Start, periodSeconds: 5, exchangePrices: false);
        rig.Publish(Exchange.Kraken, 100m, 101m);

        await rig.AdvanceToAsync(Start.AddMilliseconds(601));
        var first = await rig.NextAsync();
        await rig.AdvanceAsync(TimeSpan.FromSeconds(5));
        var second = await rig.NextAsync();

        first.Line.Should().Be("{\"type\":\"tick\",\"ts\":\"2026-11-21T17:00:05.001Z\",\"markets\":[]}");
        second.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 21, 17, 0, 10, 1, TimeSpan.Zero));
        rig.History.TrySum(new KxCollector.Pricing.BrtiWindow(Start.ToUnixTimeSeconds(), Start.ToUnixTimeSeconds() + 10)).Should().BeNull(
            "a sports tick must not overwrite the BTC series' brti of the same second");
    }

    [Fact]
    public void DelayToNextPeriod_aims_at_the_next_UTC_second_divisible_by_the_period()
    {
        TickSchedule.DelayToNextPeriod(Start, 5).Should().Be(TimeSpan.FromMilliseconds(601));
        TickSchedule.DelayToNextPeriod(Start.AddSeconds(1), 5).Should().Be(TimeSpan.FromMilliseconds(4601));
        TickSchedule.DelayToNextPeriod(Start, 1).Should().Be(TickSchedule.DelayToNextSecond(Start));
    }

    [Fact]
    public async Task A_quote_that_goes_stale_turns_null_rather_than_being_carried()
    {
        await using var rig = await TickRig.StartAsync(Start);
        rig.Publish(Exchange.Coinbase, 100m, 102m);

        await rig.AdvanceToAsync(Start.AddMilliseconds(601));
        (await rig.NextAsync()).Line.Should().Contain("\"coinbase\":101");

        for (var i = 1; i <= 4; i++)
        {
            await rig.AdvanceAsync(TimeSpan.FromSeconds(1));
            (await rig.NextAsync()).Line.Should().Contain("\"coinbase\":101", "the quote is {0}.6 s old, within the 5 s limit", i);
        }

        await rig.AdvanceAsync(TimeSpan.FromSeconds(1)); // quote now 5.6 s old
        var stale = await rig.NextAsync();
        stale.Line.Should().Contain("\"coinbase\":null").And.Contain("\"brti\":null");
    }

    [Fact]
    public async Task A_second_is_never_written_twice_when_the_wall_clock_steps_back()
    {
        await using var rig = await TickRig.StartAsync(Start);
        await rig.AdvanceToAsync(Start.AddMilliseconds(601));
        await rig.NextAsync(); // 17:00:05
        await rig.AdvanceToAsync(Start.AddMilliseconds(1601));
        await rig.NextAsync(); // 17:00:06

        rig.Time.StepWallClock(TimeSpan.FromSeconds(-3)); // now 17:00:03.001
        for (var i = 0; i < 3; i++)
        {
            await rig.AdvanceAsync(TimeSpan.FromSeconds(1)); // 04, 05, 06: all already written or before
        }

        await rig.AdvanceAsync(TimeSpan.FromSeconds(1)); // 17:00:07.001
        var next = await rig.NextAsync();

        next.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 21, 17, 0, 7, 1, TimeSpan.Zero));
        rig.Lines.Select(l => TickSchedule.SecondOf(l.Timestamp)).Should().OnlyHaveUniqueItems();
        rig.Lines.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_wall_clock_step_forward_counts_the_seconds_that_got_no_tick()
    {
        await using var rig = await TickRig.StartAsync(Start);
        await rig.AdvanceToAsync(Start.AddMilliseconds(601));
        await rig.NextAsync(); // 17:00:05

        rig.Time.StepWallClock(TimeSpan.FromSeconds(3));
        await rig.AdvanceAsync(TimeSpan.FromSeconds(1)); // wall clock 17:00:09.001
        var next = await rig.NextAsync();

        next.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 21, 17, 0, 9, 1, TimeSpan.Zero));
        rig.Stats.SecondsSkipped.Should().Be(3);
    }

    [Fact]
    public async Task A_tick_whose_write_blocks_past_the_next_second_is_named_in_the_warning_for_the_second_it_cost()
    {
        var time = new SteppableTimeProvider(Start);
        var disk = new StallingSink(time);
        await using var rig = await TickRig.StartAsync(Start, time, disk);
        await rig.AdvanceToAsync(Start.AddMilliseconds(601));
        await rig.NextAsync(); // 17:00:05.001

        disk.StallNextAppendBy(TimeSpan.FromMilliseconds(2500)); // the write of 17:00:06 returns at 17:00:08.501
        await rig.AdvanceAsync(TimeSpan.FromSeconds(1));
        (await rig.NextAsync()).Timestamp.Should().Be(new DateTimeOffset(2026, 11, 21, 17, 0, 6, 1, TimeSpan.Zero));

        // The loop re-aims at the next second (17:00:09.001); 07 and 08 were lost to the write.
        await rig.AdvanceAsync(TimeSpan.FromMilliseconds(500));
        (await rig.NextAsync()).Timestamp.Should().Be(new DateTimeOffset(2026, 11, 21, 17, 0, 9, 1, TimeSpan.Zero));

        rig.Stats.SecondsSkipped.Should().Be(2);
        var warning = rig.Log.Entries.Should().ContainSingle(e => e.EventId == 320).Which.Message;
        warning.Should().Contain("woke 2 s late").And.Contain("the previous tick took 2500 ms and was sampled 3000 ms ago");
    }

    [Fact]
    public async Task A_handed_over_tick_whose_write_blocks_delays_its_line_but_never_the_next_ticks()
    {
        var time = new SteppableTimeProvider(Start);
        var disk = new GatedSink();
        await using var handOff = new RecordHandOff(new ListLogger<RecordHandOff>());
        await using var rig = await TickRig.StartAsync(Start, time, disk, handOff: handOff);
        await rig.AdvanceToAsync(Start.AddMilliseconds(601));
        await rig.NextAsync(); // 17:00:05.001, written

        disk.Close();
        await rig.AdvanceAsync(TimeSpan.FromSeconds(1)); // 17:00:06: its write blocks on the writer thread
        await disk.Entered.Task.WaitAsync(Wait);
        await rig.AdvanceAsync(TimeSpan.FromSeconds(1)); // the loop has re-aimed and samples 07 and 08 on time
        await rig.AdvanceAsync(TimeSpan.FromSeconds(1));

        handOff.Pending.Should().Be(3, "06 is being written, 07 and 08 wait behind it");
        rig.Stats.SecondsSkipped.Should().Be(0);
        rig.Stats.LastTickAt.Should().Be(Start.AddMilliseconds(601), "a tick counts as advancing once its line is with the file, so a hung disk stops the watchdog");

        disk.Open();
        var lines = new[] { await rig.NextAsync(), await rig.NextAsync(), await rig.NextAsync() };
        lines.Select(l => l.Timestamp.Second).Should().Equal(6, 7, 8);
        disk.TimedOut.Should().BeFalse();
        rig.Stats.TicksWritten.Should().Be(4);
        rig.Stats.LastTickAt.Should().Be(new DateTimeOffset(2026, 11, 21, 17, 0, 8, 1, TimeSpan.Zero));
    }

    [Fact]
    public async Task On_the_system_clock_the_loop_wakes_on_a_thread_of_its_own_not_a_pool_thread()
    {
        // Real time, on purpose: what is checked is how the loop waits for the real clock (two ticks: up to 2 s).
        var sink = new ThreadNotingSink(ticks: 2);
        var stats = new TickStats();
        using var service = new TickService(
            TimeProvider.System, new BrtiProxy(new PriceBoard(), TimeSpan.FromSeconds(5)), new NoMarkets(), sink, stats, new KxCollector.Pricing.BrtiHistory(), new ListLogger<TickService>());
        await service.StartAsync(CancellationToken.None);
        await sink.Done.Task.WaitAsync(Wait);

        await service.StopAsync(CancellationToken.None);

        service.ExecuteTask!.IsCompletedSuccessfully.Should().BeTrue("a stop ends the wait and the loop, without an error");
        sink.Calls.Should().HaveCountGreaterThanOrEqualTo(2)
            .And.OnlyContain(c => !c.PoolThread && c.Thread == "kx-tick", "a busy pool must not stand between a second and its tick");
        (TickSchedule.SecondOf(sink.Calls[1].At) - TickSchedule.SecondOf(sink.Calls[0].At)).Should().Be(1);
        stats.SecondsSkipped.Should().Be(0);
    }

    [Fact]
    public async Task An_early_wake_waits_for_its_second_instead_of_resampling_the_last_one()
    {
        await using var rig = await TickRig.StartAsync(Start);
        await rig.AdvanceToAsync(Start.AddMilliseconds(601));
        await rig.NextAsync(); // 17:00:05.001

        // The timer fires 2 ms early (17:00:05.999): the service must re-aim, not write 17:00:05 again.
        rig.Time.StepWallClock(TimeSpan.FromMilliseconds(-3));
        await rig.AdvanceAsync(TimeSpan.FromMilliseconds(1001));
        await rig.AdvanceAsync(TimeSpan.FromMilliseconds(5));
        var next = await rig.NextAsync();

        TickSchedule.SecondOf(next.Timestamp).Should().Be(TickSchedule.SecondOf(Start) + 2);
        rig.Lines.Should().HaveCount(2);
    }

    [Fact]
    public async Task Ticks_across_UTC_midnight_go_to_the_new_day_file()
    {
        using var dir = new TempDirectory();
        var start = new DateTimeOffset(2026, 11, 21, 23, 59, 57, 500, TimeSpan.Zero);
        var time = new SteppableTimeProvider(start);
        using var writer = new DailyJsonlWriter(dir.Path, "kxbtc15m", time, new FaultInjectingOpener(), new ListLogger<DailyJsonlWriter>());
        await using var rig = await TickRig.StartAsync(start, time, writer);

        for (var i = 0; i < 4; i++)
        {
            await rig.AdvanceToAsync(start.AddMilliseconds(501 + (i * 1000)));
            await rig.NextAsync();
        }

        var yesterday = File.ReadAllLines(Path.Combine(dir.Path, "kxbtc15m-2026-11-21.jsonl"));
        var today = File.ReadAllLines(Path.Combine(dir.Path, "kxbtc15m-2026-11-22.jsonl"));
        yesterday.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("ts").GetString())
            .Should().Equal("2026-11-21T23:59:58.001Z", "2026-11-21T23:59:59.001Z");
        today.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("ts").GetString())
            .Should().Equal("2026-11-22T00:00:00.001Z", "2026-11-22T00:00:01.001Z");
    }

    /// <summary>Runs a TickService on a manual clock and captures what it appends.</summary>
    private sealed class TickRig : IAsyncDisposable, IRecordSink
    {
        private readonly Channel<(DateTimeOffset Timestamp, string Line)> _written = Channel.CreateUnbounded<(DateTimeOffset, string)>();
        private readonly IRecordSink? _inner;
        private readonly TickService _service;

        private TickRig(SteppableTimeProvider time, IRecordSink? inner, int periodSeconds, bool exchangePrices, RecordHandOff? handOff)
        {
            Time = time;
            _inner = inner;
            _service = new TickService(
                time, new BrtiProxy(Board, TimeSpan.FromSeconds(5)), new NoMarkets(), this, Stats, History, Log, periodSeconds, exchangePrices, handOff: handOff);
        }

        public ListLogger<TickService> Log { get; } = new();

        public KxCollector.Pricing.BrtiHistory History { get; } = new();

        public SteppableTimeProvider Time { get; }

        public PriceBoard Board { get; } = new();

        public TickStats Stats { get; } = new();

        public List<(DateTimeOffset Timestamp, string Line)> Lines { get; } = [];

        public static async Task<TickRig> StartAsync(
            DateTimeOffset start,
            SteppableTimeProvider? time = null,
            IRecordSink? inner = null,
            int periodSeconds = 1,
            bool exchangePrices = true,
            RecordHandOff? handOff = null)
        {
            var rig = new TickRig(time ?? new SteppableTimeProvider(start), inner, periodSeconds, exchangePrices, handOff);
            var changesBefore = rig.Time.Changes;
            await rig._service.StartAsync(CancellationToken.None);
            await rig.Time.WaitForChangesAsync(changesBefore + 1).WaitAsync(Wait); // the loop created its timer
            return rig;
        }

        public Task AdvanceToAsync(DateTimeOffset instant) => AdvanceAsync(instant - Time.GetUtcNow());

        /// <summary>Moves the clock, then waits until the loop has handled each wake and re-aimed its timer.</summary>
        public async Task AdvanceAsync(TimeSpan delta)
        {
            var fires = Time.Fires;
            var changes = Time.Changes;
            Time.Advance(delta);
            var woke = Time.Fires - fires;
            woke.Should().BeLessThanOrEqualTo(1, "each step of these tests covers at most one timer period");
            await Time.WaitForChangesAsync(changes + woke).WaitAsync(Wait);
        }

        public void Publish(Exchange exchange, decimal bid, decimal ask)
        {
            ExchangeQuote.TryCreate(bid, ask, null, Time.GetUtcNow(), out var quote).Should().BeTrue();
            Board.Publish(exchange, quote);
        }

        public async Task<(DateTimeOffset Timestamp, string Line)> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Wait);
            var item = await _written.Reader.ReadAsync(timeout.Token);
            Lines.Add(item);
            return item;
        }

        public bool Append(DateTimeOffset timestamp, ReadOnlySpan<byte> record)
        {
            var written = _inner?.Append(timestamp, record) ?? true;
            _written.Writer.TryWrite((timestamp, Encoding.UTF8.GetString(record)));
            return written;
        }

        public void FlushToDisk() => _inner?.FlushToDisk();

        public async ValueTask DisposeAsync()
        {
            await _service.StopAsync(CancellationToken.None);
            _service.Dispose();
            _written.Reader.TryRead(out _).Should().BeFalse("no tick beyond those the test consumed may be written");
        }
    }

    /// <summary>A file whose next append blocks for a while, as a write does behind a slow journal commit.</summary>
    private sealed class StallingSink(SteppableTimeProvider time) : IRecordSink
    {
        private TimeSpan _stall;

        public void StallNextAppendBy(TimeSpan stall) => _stall = stall;

        public bool Append(DateTimeOffset timestamp, ReadOnlySpan<byte> record)
        {
            var stall = _stall;
            _stall = TimeSpan.Zero;
            time.Advance(stall); // monotonic and wall clock both move, as they do while a write blocks
            return true;
        }

        public void FlushToDisk()
        {
        }
    }

    /// <summary>
    /// A file that blocks its appends while closed, as a write behind a slow journal commit does. It gives up after
    /// <see cref="Wait"/> (and says so) rather than hang the test when the append comes on the test's own thread.
    /// </summary>
    private sealed class GatedSink : IRecordSink
    {
        private readonly ManualResetEventSlim _open = new(initialState: true);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TimedOut { get; private set; }

        public void Close() => _open.Reset();

        public void Open() => _open.Set();

        public bool Append(DateTimeOffset timestamp, ReadOnlySpan<byte> record)
        {
            if (!_open.IsSet)
            {
                Entered.TrySetResult();
                TimedOut |= !_open.Wait(Wait);
            }

            return true;
        }

        public void FlushToDisk()
        {
        }
    }

    /// <summary>Notes the thread of each append; done after the given number of them.</summary>
    private sealed class ThreadNotingSink(int ticks) : IRecordSink
    {
        private readonly ConcurrentQueue<(DateTimeOffset At, bool PoolThread, string? Thread)> _calls = new();

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<(DateTimeOffset At, bool PoolThread, string? Thread)> Calls => _calls.ToArray();

        public bool Append(DateTimeOffset timestamp, ReadOnlySpan<byte> record)
        {
            _calls.Enqueue((timestamp, Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name));
            if (_calls.Count >= ticks)
            {
                Done.TrySetResult();
            }

            return true;
        }

        public void FlushToDisk()
        {
        }
    }
}
