using System.Globalization;
using System.Net;
using System.Text;
using KxCollector.Kalshi.Rest;
using KxCollector.Net;
using KxCollector.Status;
using KxCollector.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Net;

/// <summary>
/// With inline socket completions, whatever follows a network await runs on the thread that completed the socket
/// operation, unless the code leaves it. These complete the "network" on a thread the test owns, synchronously (a
/// TaskCompletionSource without RunContinuationsAsynchronously, as a socket completion is), and assert that the code
/// that goes on to do I/O did not run there.
/// </summary>
public sealed class SocketThreadTests
{
    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.Unauthorized)]
    public async Task A_Kalshi_REST_caller_continues_off_the_thread_that_completed_the_response(HttpStatusCode status)
    {
        var handler = new HeldHandler();
        using var client = new KalshiRestClient(
            handler, new Uri("http://kalshi.invalid/trade-api/v2"), Timeout.InfiniteTimeSpan, KalshiRetryPolicy.Default, new FakeTimeProvider(), new ListLogger());

        // The caller stands for the market tracker: after the read it saves its state file (fsync), which must not
        // happen on the socket thread.
        var caller = Task.Run(async () =>
        {
            string outcome;
            try
            {
                outcome = Encoding.UTF8.GetString(await client.GetAsync("/markets?limit=1", CancellationToken.None));
            }
            catch (KalshiApiException ex)
            {
                outcome = ex.Message;
            }

            return (Thread: Thread.CurrentThread, Outcome: outcome);
        });
        await handler.Sent.Task;

        var socketThread = OnOwnThread(() => handler.Respond(status, "{\"markets\":[]}"));
        var (thread, outcome) = await caller;

        outcome.Should().Contain(status == HttpStatusCode.OK ? "{\"markets\":[]}" : "HTTP 401");
        thread.Should().NotBeSameAs(socketThread, "the tracker's persist would otherwise run on the socket thread");
    }

    [Fact]
    public async Task A_request_on_the_health_port_is_handled_off_the_socket_thread()
    {
        using var rig = new StatusRig(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), ("HEALTH_PORT", FreePorts.Loopback().ToString(CultureInfo.InvariantCulture)));
        var route = new ThreadRoute();
        await using var service = new HealthEndpointService(rig.Options, rig.Builder, [], new ListLogger<HealthEndpointService>(), [route]);
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = ThreadRoute.RoutePath;

        Task? handled = null;
        var socketThread = OnOwnThread(() => handled = service.HandleAsync(context));
        await handled!;

        route.Thread.Should().NotBeSameAs(socketThread, "the routes read day files");
        route.Thread.Should().NotBeNull();
    }

    [Fact]
    public async Task Off_continues_on_the_pool_with_the_result_or_the_failure()
    {
        var result = new TaskCompletionSource<int>();
        var failure = new TaskCompletionSource<int>();
        var gotResult = Task.Run(async () => (await SocketThread.Off(result.Task), Thread.CurrentThread));
        var gotFailure = Task.Run(async () =>
        {
            var act = () => SocketThread.Off(failure.Task);
            await act.Should().ThrowAsync<InvalidOperationException>();
            return Thread.CurrentThread;
        });

        var first = OnOwnThread(() => result.SetResult(7));
        var second = OnOwnThread(() => failure.SetException(new InvalidOperationException("socket failed")));

        var (value, thread) = await gotResult;
        value.Should().Be(7);
        thread.Should().NotBeSameAs(first);
        (await gotFailure).Should().NotBeSameAs(second);
    }

    /// <summary>Runs <paramref name="complete"/> on a new thread, as a socket completion would; returns that thread
    /// (compared as an object: a managed thread id can be reused once its thread has ended).</summary>
    private static Thread OnOwnThread(Action complete)
    {
        var thread = new Thread(() => complete());
        thread.Start();
        thread.Join();
        return thread;
    }

    /// <summary>Holds the request until the test answers it, on the test's thread of choice.</summary>
    private sealed class HeldHandler : HttpMessageHandler
    {
        private readonly TaskCompletionSource<HttpResponseMessage> _response = new();

        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Respond(HttpStatusCode status, string body) =>
            _response.SetResult(new HttpResponseMessage(status) { Content = new StringContent(body) });

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent.SetResult();
            return _response.Task;
        }
    }

    private sealed class ThreadRoute : IHealthPortRoute
    {
        public const string RoutePath = "/thread";

        public Thread? Thread { get; private set; }

        public string Path => RoutePath;

        public Task HandleAsync(HttpContext context)
        {
            Thread = System.Threading.Thread.CurrentThread;
            return Task.CompletedTask;
        }
    }
}
