using System.Text;
using KxCollector.Recording;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Recording;

public sealed class DailyJsonlWriterTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 23, 59, 58, 1, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FaultInjectingOpener _opener = new();
    private readonly ListLogger<DailyJsonlWriter> _logger = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Append_writes_each_record_as_one_whole_line_in_the_file_of_its_UTC_date()
    {
        using var writer = NewWriter();

        writer.Append(Start, "{\"n\":1}"u8).Should().BeTrue();
        writer.Append(Start.AddSeconds(1).AddMilliseconds(998), "{\"n\":2}"u8).Should().BeTrue(); // 23:59:59.999
        writer.Append(Start.AddSeconds(2), "{\"n\":3}"u8).Should().BeTrue(); // 00:00:00.001 next day

        ReadDay("2026-11-21").Should().Be("{\"n\":1}\n{\"n\":2}\n");
        ReadDay("2026-11-22").Should().Be("{\"n\":3}\n");
    }

    [Fact]
    public void Append_picks_the_file_from_the_UTC_date_even_when_the_timestamp_carries_a_local_offset()
    {
        using var writer = NewWriter();
        var newYorkEvening = new DateTimeOffset(2026, 11, 21, 19, 30, 0, TimeSpan.FromHours(-5)); // 00:30 UTC on the 22nd

        writer.Append(newYorkEvening, "{\"n\":1}"u8);

        ReadDay("2026-11-22").Should().Be("{\"n\":1}\n");
        File.Exists(PathOf("2026-11-21")).Should().BeFalse();
    }

    [Fact]
    public void Rotation_fsyncs_the_finished_day_before_moving_on()
    {
        using var writer = NewWriter();
        writer.Append(Start, "{\"n\":1}"u8);
        _opener.Fsyncs.Should().Be(0);

        writer.Append(Start.AddSeconds(3), "{\"n\":2}"u8);

        _opener.Fsyncs.Should().Be(1);
        _opener.Opens.Should().Be(2);
    }

    [Fact]
    public void Append_fsyncs_once_the_interval_has_passed_and_not_before()
    {
        using var writer = NewWriter();
        var at = Start.AddSeconds(10); // stay inside one day
        for (var i = 0; i < 9; i++)
        {
            writer.Append(at, "{}"u8);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        _opener.Fsyncs.Should().Be(0);
        _time.Advance(TimeSpan.FromSeconds(1));
        writer.Append(at, "{}"u8);
        _opener.Fsyncs.Should().Be(1);
    }

    [Fact]
    public void Records_refused_by_the_disk_are_kept_and_written_in_order_when_it_recovers()
    {
        using var writer = NewWriter();
        var at = Start.AddSeconds(10);
        writer.Append(at, "{\"n\":1}"u8).Should().BeTrue();

        _opener.Failing = true;
        writer.Append(at, "{\"n\":2}"u8).Should().BeFalse();
        writer.Append(at, "{\"n\":3}"u8).Should().BeFalse();
        writer.BacklogCount.Should().Be(2);

        _opener.Failing = false;
        writer.Append(at, "{\"n\":4}"u8).Should().BeTrue();

        ReadDay("2026-11-22").Should().Be("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n");
        writer.BacklogCount.Should().Be(0);
        _logger.Entries.Should().ContainSingle(e => e.EventId == 310, "the first failure is logged once");
        _logger.Entries.Should().ContainSingle(e => e.EventId == 312, "the recovery is logged");
    }

    [Fact]
    public void Repeated_failures_are_logged_at_most_once_a_minute()
    {
        using var writer = NewWriter();
        _opener.Failing = true;
        for (var i = 0; i < 120; i++)
        {
            writer.Append(Start, "{}"u8);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        _logger.Entries.Count(e => e.EventId is 310 or 311).Should().BeInRange(2, 3);
    }

    [Fact]
    public void A_data_file_deleted_while_open_is_recreated_on_the_next_append()
    {
        using var writer = NewWriter();
        var at = Start.AddSeconds(10);
        writer.Append(at, "{\"n\":1}"u8);
        File.Delete(PathOf("2026-11-22"));

        writer.Append(at, "{\"n\":2}"u8).Should().BeTrue();

        ReadDay("2026-11-22").Should().Be("{\"n\":2}\n");
    }

    [Fact]
    public void A_removed_output_folder_is_recreated_and_writing_goes_on()
    {
        var output = _dir.Combine("data");
        using var writer = new DailyJsonlWriter(output, "kxbtc15m", _time, _opener, _logger);
        var at = Start.AddSeconds(10);
        writer.Append(at, "{\"n\":1}"u8);
        Directory.Delete(output, recursive: true);

        writer.Append(at, "{\"n\":2}"u8).Should().BeTrue();

        File.ReadAllText(Path.Combine(output, "kxbtc15m-2026-11-22.jsonl")).Should().Be("{\"n\":2}\n");
    }

    [Fact]
    public void A_backlog_past_its_bound_drops_the_oldest_records_and_counts_them()
    {
        using var writer = NewWriter();
        _opener.Failing = true;
        var big = new byte[DailyJsonlWriter.MaxBacklogBytes / 4];
        big.AsSpan().Fill((byte)'x');

        for (var i = 0; i < 5; i++)
        {
            writer.Append(Start, big);
        }

        writer.DroppedRecords.Should().Be(2);
        writer.BacklogCount.Should().Be(3);
    }

    [Fact]
    public void Dispose_writes_what_it_can_and_fsyncs()
    {
        var writer = NewWriter();
        writer.Append(Start, "{\"n\":1}"u8);

        writer.Dispose();

        _opener.Fsyncs.Should().Be(1);
        ReadDay("2026-11-21").Should().Be("{\"n\":1}\n");
    }

    [Fact]
    public async Task A_periodic_fsync_stuck_on_a_slow_disk_holds_up_no_append()
    {
        // The daemon's runner: a thread of its own. The file's fsync blocks until the test lets it go, as an fsync does
        // for seconds when the disk is busy; every append meanwhile must return at once and reach the file, and no
        // second fsync may pile up behind the first.
        var opener = new SlowFsyncOpener();
        using var fsync = new BackgroundFsync();
        using var writer = new DailyJsonlWriter(_dir.Path, "kxbtc15m", _time, opener, _logger, fsync);
        var at = Start.AddSeconds(10);
        writer.Append(at, "{\"n\":0}"u8).Should().BeTrue();
        _time.Advance(DailyJsonlWriter.FsyncInterval);

        try
        {
            writer.Append(at, "{\"n\":1}"u8).Should().BeTrue();
            await opener.FsyncEntered.WaitAsync(TimeSpan.FromSeconds(30));

            // On a thread of its own with a deadline: were the fsync under the writer's lock, these would wait for it.
            var appends = Task.Run(() =>
            {
                for (var n = 2; n < 40; n++)
                {
                    _time.Advance(TimeSpan.FromSeconds(1));
                    writer.Append(at, Encoding.UTF8.GetBytes($"{{\"n\":{n}}}")).Should().BeTrue();
                }
            });
            await appends.WaitAsync(TimeSpan.FromSeconds(30));

            opener.FsyncCalls.Should().Be(1, "one fsync at a time per file, however long it takes");
            File.ReadAllLines(PathOf("2026-11-22")).Should().HaveCount(40, "appends reach the file while the fsync waits");
        }
        finally
        {
            opener.Release();
        }

        await opener.FsyncFinished.WaitAsync(TimeSpan.FromSeconds(30));
        writer.Append(at, "{\"n\":40}"u8).Should().BeTrue();
        await opener.SecondFsync.WaitAsync(TimeSpan.FromSeconds(30));
        opener.FsyncCalls.Should().Be(2, "the next one is due an interval after the first began, long past by now");
    }

    [Fact]
    public void Appending_to_the_open_days_file_allocates_nothing()
    {
        // Every Kalshi message becomes a line; at 500 messages a second a copy or a path string per line was garbage
        // the GC had to promote through. Counted in bytes on this thread, not timed.
        using var writer = NewWriter();
        var record = Encoding.UTF8.GetBytes("{\"type\":\"trade\",\"ticker\":\"KXBTC15M-26NOV220000-00\",\"count\":5}");
        for (var i = 0; i < 10; i++)
        {
            writer.Append(Start, record); // first calls: the file, the pool's buffer, JIT
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var written = 0;
        for (var i = 0; i < 1000; i++)
        {
            written += writer.Append(Start, record) ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        written.Should().Be(1000);
        allocated.Should().Be(0);
        File.ReadAllLines(PathOf("2026-11-21")).Should().HaveCount(1010).And.AllBe(Encoding.UTF8.GetString(record));
    }

    private DailyJsonlWriter NewWriter() => new(_dir.Path, "kxbtc15m", _time, _opener, _logger);

    /// <summary>Real files whose first fsync waits for <see cref="Release"/>.</summary>
    private sealed class SlowFsyncOpener : IAppendFileOpener
    {
        private readonly AppendOnlyFileOpener _real = new(new ListLogger<AppendOnlyFile>());
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _second = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _release = new();
        private int _calls;

        public Task FsyncEntered => _entered.Task;

        public Task FsyncFinished => _finished.Task;

        public Task SecondFsync => _second.Task;

        public int FsyncCalls => Volatile.Read(ref _calls);

        public void Release() => _release.Set();

        public IAppendFile Open(string path) => new File(this, _real.Open(path));

        private sealed class File(SlowFsyncOpener owner, IAppendFile inner) : IAppendFile
        {
            public string Path => inner.Path;

            public long Length => inner.Length;

            public void Append(ReadOnlySpan<byte> lines) => inner.Append(lines);

            public void FlushToDisk()
            {
                switch (Interlocked.Increment(ref owner._calls))
                {
                    case 1:
                        owner._entered.SetResult();
                        owner._release.Wait(); // the test releases it, pass or fail
                        inner.FlushToDisk();
                        owner._finished.SetResult();
                        break;
                    case 2:
                        inner.FlushToDisk();
                        owner._second.TrySetResult();
                        break;
                    default:
                        inner.FlushToDisk();
                        break;
                }
            }

            public void Dispose() => inner.Dispose();
        }
    }

    private string PathOf(string day) => _dir.Combine($"kxbtc15m-{day}.jsonl");

    private string ReadDay(string day) => Encoding.UTF8.GetString(File.ReadAllBytes(PathOf(day)));
}
