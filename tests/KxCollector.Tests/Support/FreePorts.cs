using System.Net;
using System.Net.Sockets;

namespace KxCollector.Tests.Support;

/// <summary>A TCP port free on 127.0.0.1 at the time of asking, for a server the test starts itself.</summary>
internal static class FreePorts
{
    public static int Loopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
