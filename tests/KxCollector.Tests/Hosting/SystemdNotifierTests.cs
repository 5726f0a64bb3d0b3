using System.Collections;
using System.Net.Sockets;
using System.Text;
using KxCollector.Hosting.Systemd;
using KxCollector.Tests.Support;
using KxCollector.Configuration;

namespace KxCollector.Tests.Hosting;

/// <summary>
/// The collector process against a real Unix datagram socket, as systemd's notify socket is: the notifications go
/// through Microsoft.Extensions.Hosting.Systemd's notifier (READY/STOPPING come from its SystemdLifetime only when
/// systemd itself is the parent, which the systemd unit tests cover; STATUS and WATCHDOG are ours).
/// </summary>
public sealed class SystemdNotifierTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Each_notification_is_one_datagram_on_the_socket_named_by_NOTIFY_SOCKET()
    {
        var path = _dir.Combine("notify");
        using var receiver = Bind(path);
        using var process = Start(path);

        var first = Receive(receiver);
        var datagrams = new List<string> { first, Receive(receiver), Receive(receiver) };
        process.SendSignal(CollectorProcess.SigTerm);
        (await process.WaitForExitAsync(Timeout)).Should().Be(0, process.StandardOutput);
        datagrams.AddRange(ReceiveRemaining(receiver));

        first.Should().StartWith("STATUS=").And.NotContain("\n", "the start-up status is a datagram of its own");
        datagrams.Should().Contain("WATCHDOG=1", "WATCHDOG_USEC is set and the collector ticks");
        datagrams.Should().OnlyContain(d => d == "WATCHDOG=1" || (d.StartsWith("STATUS=", StringComparison.Ordinal) && !d.Contains('\n')));
        datagrams.Last().Should().Be("STATUS=stopping: finishing the current line and syncing the file");
    }

    [Fact]
    public async Task A_name_starting_with_at_is_reached_in_the_abstract_namespace()
    {
        var name = "kxcollector-test-" + Guid.NewGuid().ToString("N");
        using var receiver = Bind("\0" + name);
        using var process = Start("@" + name);

        Receive(receiver).Should().StartWith("STATUS=");

        File.Exists(_dir.Combine(name)).Should().BeFalse("an abstract socket has no file");
        process.SendSignal(CollectorProcess.SigTerm);
        (await process.WaitForExitAsync(Timeout)).Should().Be(0);
    }

    [Fact]
    public async Task A_socket_that_went_away_is_logged_once_and_the_collector_keeps_recording()
    {
        using var process = Start(_dir.Combine("gone"));

        await Poll.UntilAsync(
            () => Directory.Exists(_dir.Combine("data")) && Directory.EnumerateFiles(_dir.Combine("data"), "kxbtc15m-*.jsonl").Any(f => File.ReadAllLines(f).Length >= 3),
            Timeout,
            () => "three ticks despite the missing socket; stdout: " + process.StandardOutput);
        process.SendSignal(CollectorProcess.SigTerm);

        (await process.WaitForExitAsync(Timeout)).Should().Be(0, process.StandardOutput);
        process.StandardOutput.Split('\n').Count(l => l.Contains("Could not notify systemd", StringComparison.Ordinal))
            .Should().Be(1, "a vanished socket is logged once per outage, not at every ping; {0}", process.StandardOutput);
    }

    [Fact]
    public void WATCHDOG_USEC_gives_the_interval_only_for_the_process_WATCHDOG_PID_names()
    {
        var forUs = SystemdEnvironment.Parse(new Hashtable { ["WATCHDOG_USEC"] = "30000000", ["WATCHDOG_PID"] = "42" }, 42);
        var forAnother = SystemdEnvironment.Parse(new Hashtable { ["WATCHDOG_USEC"] = "30000000", ["WATCHDOG_PID"] = "41" }, 42);
        var noPid = SystemdEnvironment.Parse(new Hashtable { ["WATCHDOG_USEC"] = "1500000" }, 42);
        var none = SystemdEnvironment.Parse(new Hashtable(), 42);

        forUs.WatchdogInterval.Should().Be(TimeSpan.FromSeconds(30));
        forAnother.WatchdogInterval.Should().BeNull();
        noPid.WatchdogInterval.Should().Be(TimeSpan.FromSeconds(1.5));
        none.Should().Be(SystemdEnvironment.None);
        SystemdEnvironment.Parse(new Hashtable { ["JOURNAL_STREAM"] = "8:12345" }, 42).JournalStream.Should().BeTrue();
    }

    /// <summary>A collector told it runs under a notify socket with a 2 s watchdog (so it pings every second while ticking).</summary>
    private CollectorProcess Start(string notifySocket) =>
        CollectorProcess.Start(_dir.Path, OfflineSettings.For("./data", ("NOTIFY_SOCKET", notifySocket), ("WATCHDOG_USEC", "2000000")));

    private static Socket Bind(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        return socket;
    }

    private static string Receive(Socket socket)
    {
        var buffer = new byte[4096];
        var count = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, count);
    }

    /// <summary>What is queued on the socket after the process exited.</summary>
    private static List<string> ReceiveRemaining(Socket socket)
    {
        var rest = new List<string>();
        while (socket.Available > 0)
        {
            rest.Add(Receive(socket));
        }

        return rest;
    }
}
