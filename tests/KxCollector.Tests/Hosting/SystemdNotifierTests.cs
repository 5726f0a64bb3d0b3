using System.Collections;
using System.Net.Sockets;
using System.Text;
using KxCollector.Hosting.Systemd;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Hosting;

/// <summary>The sd_notify client against a real Unix datagram socket, as systemd's notify socket is.</summary>
public sealed class SystemdNotifierTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Each_notification_is_one_datagram_on_the_socket_named_by_NOTIFY_SOCKET()
    {
        var path = _dir.Combine("notify");
        using var receiver = Bind(path);
        using var notifier = new SystemdNotifier(path);

        notifier.IsEnabled.Should().BeTrue();
        notifier.Notify("READY=1\nSTATUS=recording").Should().BeTrue();
        notifier.Notify("WATCHDOG=1").Should().BeTrue();
        notifier.Notify("STOPPING=1").Should().BeTrue();

        Receive(receiver).Should().Be("READY=1\nSTATUS=recording");
        Receive(receiver).Should().Be("WATCHDOG=1");
        Receive(receiver).Should().Be("STOPPING=1");
    }

    [Fact]
    public void A_name_starting_with_at_is_reached_in_the_abstract_namespace()
    {
        var name = "kxcollector-test-" + Guid.NewGuid().ToString("N");
        using var receiver = Bind("\0" + name);
        using var notifier = new SystemdNotifier("@" + name);

        notifier.Notify("READY=1").Should().BeTrue();

        Receive(receiver).Should().Be("READY=1");
        File.Exists(name).Should().BeFalse("an abstract socket has no file");
    }

    [Fact]
    public void Without_NOTIFY_SOCKET_it_is_disabled_and_sends_nothing()
    {
        using var notifier = new SystemdNotifier(null);

        notifier.IsEnabled.Should().BeFalse();
        notifier.Notify("READY=1").Should().BeFalse();
    }

    [Fact]
    public void A_socket_that_went_away_makes_Notify_return_false_instead_of_throwing()
    {
        using var notifier = new SystemdNotifier(_dir.Combine("gone"));

        notifier.Notify("WATCHDOG=1").Should().BeFalse();
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

    private static Socket Bind(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    private static string Receive(Socket socket)
    {
        var buffer = new byte[4096];
        var count = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, count);
    }
}
