using System.Net.Sockets;

namespace KxCollector.Kalshi.Rest;

/// <summary>
/// The REST client's TCP connect (<see cref="SocketsHttpHandler.ConnectCallback"/>): what the handler does by default,
/// over <see cref="SocketAsyncEventArgs"/> instead of <c>Socket.ConnectAsync</c>. The task-based connect reports a
/// failure through <c>ExceptionDispatchInfo.SetCurrentStackTrace</c>, which builds a stack trace with source lines:
/// while Kalshi is unreachable every retry read portable PDBs, and the first one mapped System.Reflection.Metadata and
/// System.Collections.Immutable into the daemon for good (1.5 MB of its 27 MB idle private memory; docs/BENCHMARKS.md).
/// Here a refused or unreachable connect is one <see cref="SocketException"/>, which the handler wraps as usual
/// (<see cref="HttpRequestException"/>, "Connection refused (host:port)"), so retries and messages are unchanged.
/// </summary>
internal static class PlainTcpConnect
{
    public static async ValueTask<System.IO.Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();

        // The static form resolves the name and tries each address in turn, on a dual-mode socket where IPv6 is on:
        // the handler's own default, a DnsEndPoint through Socket.ConnectAsync.
        using var connect = new SocketAsyncEventArgs { RemoteEndPoint = context.DnsEndPoint };
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connect.Completed += (_, _) => completed.TrySetResult();
        if (!Socket.ConnectAsync(SocketType.Stream, ProtocolType.Tcp, connect))
        {
            completed.TrySetResult();
        }

        // ConnectTimeout and the request's own cancellation both arrive through this token; cancelling makes the
        // connect complete with OperationAborted, after which the token says why.
        using (cancellationToken.UnsafeRegister(static state => Socket.CancelConnectAsync((SocketAsyncEventArgs)state!), connect))
        {
            await completed.Task.ConfigureAwait(false);
        }

        if (connect.SocketError != SocketError.Success)
        {
            connect.ConnectSocket?.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw new SocketException((int)connect.SocketError);
        }

        var socket = connect.ConnectSocket!;
        socket.NoDelay = true;
        return new NetworkStream(socket, ownsSocket: true);
    }
}
