using System.Text.Json;
using KxCollector.Status;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Status;

/// <summary>
/// status.json rides on the primary tick (written in the tick's own wake-up, right after its line) and keeps a
/// fallback timer that only writes when ticks stop, or while a slow tick-side write has moved the writing off the tick.
/// </summary>
public sealed class StatusFileOnTickTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 0, 0, 0, 400, TimeSpan.Zero);
    private readonly StatusRig _rig = new(Start);
    private readonly SlowContributor _slow;
    private readonly ListLogger<StatusFileService> _logger = new();
    private readonly StatusFileService _service;

    public StatusFileOnTickTests()
    {
        _slow = new SlowContributor(_rig.Time);
        _service = new StatusFileService(_rig.Options, _rig.Builder, [_slow], _rig.Time, _logger, _rig.Ticks);
    }

    public Task InitializeAsync() => _service.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
        _rig.Dispose();
    }

    [Fact]
    public void Each_tick_rewrites_the_file_in_its_own_wake_up_and_never_touches_the_fallback_timer()
    {
        FirstTick();
        var firesBefore = _rig.Time.Fires;
        var changesBefore = _rig.Time.Changes;
        for (var i = 0; i < 10; i++)
        {
            _rig.Time.Advance(TimeSpan.FromSeconds(1));
            _rig.Tick();

            // Read before the clock moves again: only the tick can have written it.
            LastTickAt().Should().Be(_rig.Time.GetUtcNow(), "the file is refreshed right after the tick's line");
        }

        // The runtime's timer thread wakes at a pushed-back timer's old due time anyway, so the ticks must not push it:
        // the timer re-aims itself when it comes due, at most once per (fallback delay - tick period), and writes nothing.
        var fires = _rig.Time.Fires - firesBefore;
        (_rig.Time.Changes - changesBefore).Should().Be(fires, "every re-aim comes from the timer's own firing, none from a tick");
        fires.Should().BeInRange(1, (int)(10 / (StatusFileService.FallbackAfter - TimeSpan.FromSeconds(1)).TotalSeconds));
        _service.TickWrites.Should().Be(11);
        _service.TimerWrites.Should().Be(1, "only the write at start");
        _service.LastWriteCost.Should().BeLessThan(StatusFileService.SlowWrite);
    }

    [Fact]
    public void Without_ticks_the_timer_writes_it_after_the_fallback_delay_and_then_every_second()
    {
        FirstTick();
        var tickWritten = WrittenAt();

        _rig.Time.Advance(StatusFileService.FallbackAfter - TimeSpan.FromMilliseconds(100));
        WrittenAt().Should().Be(tickWritten, "a tick wrote it under the fallback delay ago");

        _rig.Time.Advance(TimeSpan.FromMilliseconds(100));
        WrittenAt().Should().Be(_rig.Time.GetUtcNow(), "no tick for the fallback delay: the timer writes it");
        (StatusFileService.FallbackAfter + StatusFileService.Interval).Should().BeLessThan(StatusReport.StatusStaleAfter);

        _rig.Time.Advance(StatusFileService.Interval);
        WrittenAt().Should().Be(_rig.Time.GetUtcNow(), "and then every second until ticks are back");
        _service.TimerWrites.Should().Be(3);
    }

    [Fact]
    public void A_slow_write_after_a_tick_moves_the_writing_to_the_timer_for_a_while()
    {
        _slow.Cost = TimeSpan.FromMilliseconds(200);
        FirstTick();
        _slow.Cost = TimeSpan.Zero;
        _service.LastWriteCost.Should().Be(TimeSpan.FromMilliseconds(200));
        _logger.Entries.Should().ContainSingle(e => e.EventId == 522);

        var tickWrites = _service.TickWrites;
        for (var i = 0; i < 5; i++)
        {
            _rig.Time.Advance(TimeSpan.FromSeconds(1));
            _rig.Tick();
        }

        _service.TickWrites.Should().Be(tickWrites, "the ticks no longer write it");
        _service.TimerWrites.Should().BeGreaterThanOrEqualTo(5, "the timer writes it every second instead");
        WrittenAt().Should().BeOnOrAfter(_rig.Time.GetUtcNow() - StatusFileService.Interval);

        _rig.Time.Advance(StatusFileService.OffTickFor);
        _rig.Tick();
        _service.TickWrites.Should().Be(tickWrites + 1, "after a while the tick writes it again");
    }

    [Fact]
    public async Task Once_stopped_the_ticks_no_longer_write_it()
    {
        await _service.StopAsync(CancellationToken.None);
        var written = WrittenAt();

        _rig.Time.Advance(TimeSpan.FromSeconds(5));
        _rig.Tick();

        WrittenAt().Should().Be(written);
    }

    /// <summary>The first tick, half a second after start (before the start write's one-second re-arm is due).</summary>
    private void FirstTick()
    {
        _rig.Time.Advance(TimeSpan.FromMilliseconds(500));
        _rig.Tick();
    }

    private JsonElement Read() => JsonDocument.Parse(File.ReadAllBytes(StatusFileService.PathIn(_rig.Dir.Path))).RootElement.Clone();

    private DateTimeOffset WrittenAt() => DateTimeOffset.Parse(Read().GetProperty("written_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private DateTimeOffset LastTickAt() => DateTimeOffset.Parse(Read().GetProperty("tick").GetProperty("last_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A section whose writing costs <see cref="Cost"/> of monotonic time (the wall clock the tests read stays put).</summary>
    private sealed class SlowContributor(SteppableTimeProvider time) : IStatusContributor
    {
        public TimeSpan Cost { get; set; }

        public string Section => "slow";

        public void WriteStatus(Utf8JsonWriter writer, DateTimeOffset now)
        {
            writer.WriteBoolean("slow", Cost > TimeSpan.Zero);
            if (Cost > TimeSpan.Zero)
            {
                time.Advance(Cost);
                time.StepWallClock(-Cost);
            }
        }
    }
}
