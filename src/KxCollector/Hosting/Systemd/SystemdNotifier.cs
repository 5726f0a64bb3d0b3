using System.Net.Sockets;
using System.Text;

namespace KxCollector.Hosting.Systemd;

/// <summary>
/// The datagram client behind <see cref="ISystemdNotifier"/>: each notification is one datagram to the Unix socket
/// named by $NOTIFY_SOCKET, exactly what libsystemd's sd_notify does (Microsoft.Extensions.Hosting.Systemd is not
/// available here). A name starting with '@' lives in Linux's abstract namespace, spelled with a leading NUL.
/// </summary>
internal sealed class SystemdNotifier : ISystemdNotifier, IDisposable
{
    public const string NotifySocketVariable = "NOTIFY_SOCKET";

    private readonly Lock _gate = new();
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly Socket? _socket;

    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket) || !OperatingSystem.IsLinux())
        {
            return;
        }

        var path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        _endpoint = new UnixDomainSocketEndPoint(path);

        // One unconnected socket for the process: sendto names the target each time, so a restarted manager
        // (daemon-reexec) is reached at the same address without reconnecting.
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public bool IsEnabled => _endpoint is not null;

    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable(NotifySocketVariable));

    public bool Notify(string state)
    {
        if (_socket is null || _endpoint is null)
        {
            return false;
        }

        var datagram = Encoding.UTF8.GetBytes(state);
        try
        {
            lock (_gate)
            {
                return _socket.SendTo(datagram, SocketFlags.None, _endpoint) == datagram.Length;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _socket?.Dispose();
        }
    }
}
