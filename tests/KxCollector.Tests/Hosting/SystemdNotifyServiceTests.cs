using System.Collections.Concurrent;
using KxCollector.Hosting.Systemd;
using KxCollector.Pricing;
using KxCollector.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using KxCollector.Configuration;

namespace KxCollector.Tests.Hosting;

/// <summary>
/// READY/STATUS/STOPPING (READY and STOPPING from the library's SystemdLifetime, STATUS from ours) and, above all, the
/// watchdog rule: ping only while ticks are being written.
/// </summary>
public sealed class SystemdNotifyServiceTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 17, 0, 0, TimeSpan.Zero);
    private readonly StatusRig _rig = new(Start);
    private readonly RecordingNotifier _notifier = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task READY_with_a_status_line_is_sent_once_the_host_has_started_and_STOPPING_when_it_stops()
    {
        // The host as CollectorHost builds it under systemd (AddSystemd registers SystemdLifetime only when systemd
        // is the parent process, so here it is registered as AddSystemd would), with a service slow to start.
        var slowStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<ISystemdNotifier>(_notifier);
        builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        builder.Services.AddSingleton<IHostedService>(new SlowStartingService(slowStart.Task));
        var service = Create(watchdog: null);
        builder.Services.AddSingleton<IHostedService>(service);
        using var host = builder.Build();

        var starting = host.StartAsync();
        await Task.Yield();
        _notifier.Sent.Should().BeEmpty("READY must wait until every service has started");
        slowStart.SetResult();
        await starting;

        _notifier.Sent.Should().HaveCount(2);
        _notifier.Sent[0].Should().StartWith("STATUS=UNHEALTHY: no tick yet; ", "a status line goes with READY, before it");
        _notifier.Sent[1].Should().Be("READY=1");

        await host.StopAsync();
        _notifier.Sent.Last().Should().Be("STOPPING=1");
        _notifier.Sent[^2].Should().StartWith("STATUS=stopping");
        var count = _notifier.Sent.Count;
        _rig.Time.Advance(TimeSpan.FromSeconds(30));
        _notifier.Sent.Should().HaveCount(count, "nothing is sent once stopping");
    }

    [Fact]
    public async Task The_watchdog_is_pinged_at_half_its_interval_while_ticks_advance()
    {
        using var service = Create(watchdog: TimeSpan.FromSeconds(4));
        await service.StartedAsync(default);
        service.Period.Should().Be(TimeSpan.FromSeconds(2));

        for (var i = 0; i < 10; i++)
        {
            _rig.Time.Advance(TimeSpan.FromSeconds(1));
            _rig.Tick();
        }

        _notifier.Sent.Count(s => s == "WATCHDOG=1").Should().Be(5);
    }

    [Fact]
    public async Task A_stalled_tick_loop_gets_no_watchdog_ping_and_pings_resume_when_ticks_do()
    {
        using var service = Create(watchdog: TimeSpan.FromSeconds(2));
        await service.StartedAsync(default);
        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        _rig.Tick();
        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        var pingsWhileTicking = Pings();
        pingsWhileTicking.Should().BeGreaterThan(0);

        _rig.Time.Advance(TimeSpan.FromSeconds(20)); // no ticks: the loop is stalled
        var pingsAfterStall = Pings();
        pingsAfterStall.Should().BeLessThanOrEqualTo(pingsWhileTicking + 4, "pings continue only within the 5 s before a stall counts");

        _rig.Time.Advance(TimeSpan.FromSeconds(20));
        Pings().Should().Be(pingsAfterStall, "a stalled loop must look dead to systemd");

        _rig.Tick();
        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        Pings().Should().BeGreaterThan(pingsAfterStall, "ticks came back");
    }

    [Fact]
    public async Task Before_the_first_tick_the_loop_gets_the_same_grace_then_no_pings()
    {
        using var service = Create(watchdog: TimeSpan.FromSeconds(2));
        await service.StartedAsync(default);

        _rig.Time.Advance(TimeSpan.FromSeconds(5));
        var withinGrace = Pings();
        _rig.Time.Advance(TimeSpan.FromSeconds(10));

        withinGrace.Should().BeGreaterThan(0);
        Pings().Should().Be(withinGrace);
    }

    [Fact]
    public async Task STATUS_is_refreshed_every_five_seconds_with_a_one_line_summary()
    {
        _rig.PublishQuote(Exchange.Kraken, 100m, 101m);
        using var service = Create(watchdog: null);
        await service.StartedAsync(default);

        for (var i = 0; i < 10; i++)
        {
            _rig.Time.Advance(TimeSpan.FromSeconds(1));
            _rig.PublishQuote(Exchange.Kraken, 100m, 101m);
            _rig.Tick();
        }

        var statuses = _notifier.Sent.Where(s => s.StartsWith("STATUS=", StringComparison.Ordinal)).ToList();
        statuses.Should().HaveCount(3, "one at start (with READY), then one every 5 s");
        // The timer fires as the clock reaches 17:00:10, just before that second's tick.
        statuses[^1].Should().Be("STATUS=recording: last tick 1.0 s ago; fresh: kraken; 9 ticks today, 0 s missing since first");
    }

    [Fact]
    public async Task Without_a_notify_socket_nothing_is_sent_and_no_timer_runs()
    {
        _notifier.Enabled = false;
        using var service = Create(watchdog: TimeSpan.FromSeconds(2));

        await service.StartedAsync(default);
        _rig.Time.Advance(TimeSpan.FromSeconds(10));
        await service.StoppingAsync(default);

        _notifier.Sent.Should().BeEmpty();
        _rig.Time.Fires.Should().Be(0);
    }

    private int Pings() => _notifier.Sent.Count(s => s == "WATCHDOG=1");

    private SystemdNotifyService Create(TimeSpan? watchdog) =>
        new(_notifier, new SystemdEnvironment(watchdog, false), _rig.Ticks, _rig.Builder, _rig.Time, new ListLogger<SystemdNotifyService>());

    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private readonly ConcurrentQueue<string> _sent = new();

        public bool Enabled { get; set; } = true;

        public bool IsEnabled => Enabled;

        public IReadOnlyList<string> Sent => _sent.ToArray();

        public void Notify(ServiceState state)
        {
            // The library's SystemdLifetime calls Notify whether or not it is enabled; its own notifier then sends nothing.
            if (Enabled)
            {
                _sent.Enqueue(state.ToString());
            }
        }
    }

    private sealed class SlowStartingService(Task started) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => started;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
