using System.Net;
using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.Kalshi.Markets;
using KxCollector.Kalshi.Signing;
using KxCollector.Net;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Rest;

/// <summary>
/// Kalshi REST reads over one HttpClient. Every attempt has a timeout; 429 and 5xx (and timeouts, resets) are
/// retried with full-jitter exponential backoff; any other status fails at once (a 401 will not fix itself).
/// Requests are spaced so a burst of paging or retries stays far below the rate limit.
/// </summary>
internal sealed partial class KalshiRestClient : IKalshiMarketSource, IDisposable
{
    /// <summary>Paging stops here whatever the cursor says: a server that loops on its cursor must not loop us.</summary>
    public const int MaxPages = 50;

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly KalshiRetryPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _pace = new(1, 1);
    private readonly TokenBucket? _bucket;
    private long _lastRequestTimestamp;
    private bool _anyRequest;
    private long _attempts;
    private long _retries;

    /// <param name="bucket">The process's shared request budget (KALSHI_REST_RPS); every attempt, retries included,
    /// takes a token from it. Null leaves only the policy's minimum spacing.</param>
    public KalshiRestClient(HttpMessageHandler handler, Uri baseUrl, TimeSpan timeout, KalshiRetryPolicy policy, TimeProvider time, ILogger logger, TokenBucket? bucket = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("kxcollector/1.0");
        _baseUrl = baseUrl.AbsoluteUri.TrimEnd('/');
        _policy = policy;
        _time = time;
        _logger = logger;
        _bucket = bucket;
    }

    /// <summary>HTTP attempts sent so far (each retry is one more).</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Attempts that failed transiently and were retried.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public static KalshiRestClient Create(KalshiOptions options, KalshiCredentials credentials, KalshiRetryPolicy policy, TimeProvider time, ILogger logger, TokenBucket? bucket = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        var sockets = new SocketsHttpHandler
        {
            ConnectTimeout = options.HttpTimeout,

            // Recycle connections so a DNS change (Kalshi's CDN moves) is picked up without a restart.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            AutomaticDecompression = DecompressionMethods.All,
            ConnectCallback = PlainTcpConnect.ConnectAsync,
        };
        HttpMessageHandler handler = credentials.Signer is { } signer ? new SigningHandler(signer, time, sockets) : sockets;
        return new KalshiRestClient(handler, options.ApiBaseUrl, options.HttpTimeout, policy, time, logger, bucket);
    }

    public async Task<IReadOnlyList<KalshiMarket>> GetMarketsAsync(MarketQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var markets = new List<KalshiMarket>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var body = await GetWithRetriesAsync("/markets" + query.ToQueryString(cursor), cancellationToken);
            MarketsPage parsed;
            try
            {
                parsed = KalshiMarketParser.ParseMarketsPage(body);
            }
            catch (JsonException ex)
            {
                throw new KalshiApiException($"GET /markets{query} returned a body that is not a markets page: {ex.Message}", null, ex);
            }

            markets.AddRange(parsed.Markets);
            if (parsed.Cursor is null || parsed.Cursor == cursor)
            {
                return markets;
            }

            cursor = parsed.Cursor;
        }

        LogTooManyPages(_logger, query.ToString(), MaxPages);
        return markets;
    }

    /// <summary>
    /// GET of a path below the API base (with its query), retried as every read is; the body's bytes. For the
    /// endpoints without a typed method here (trades, candlesticks, historical).
    /// </summary>
    public Task<byte[]> GetAsync(string relativePathAndQuery, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePathAndQuery);
        return GetWithRetriesAsync(relativePathAndQuery, cancellationToken);
    }

    public void Dispose()
    {
        _http.Dispose();
        _pace.Dispose();
    }

    /// <summary>
    /// The one way out of this client, and where a read's network part ends: its callers go on to parse pages, save
    /// state files with fsync and append lines, which must not run on the socket thread (inline socket completions,
    /// <see cref="SocketThread"/>). So the caller always continues on the thread pool, with the body or the failure.
    /// </summary>
    private Task<byte[]> GetWithRetriesAsync(string relative, CancellationToken cancellationToken) =>
        SocketThread.Off(SendWithRetriesAsync(relative, cancellationToken));

    private async Task<byte[]> SendWithRetriesAsync(string relative, CancellationToken cancellationToken)
    {
        var uri = new Uri(_baseUrl + relative);
        for (var attempt = 0; ; attempt++)
        {
            await PaceAsync(cancellationToken);
            if (_bucket is not null)
            {
                await _bucket.AcquireAsync(cancellationToken);
            }

            Interlocked.Increment(ref _attempts);
            TimeSpan? retryAfter = null;
            string failure;
            HttpStatusCode? status = null;
            Exception? error = null;

            // A new request per attempt: the signing handler then stamps each one with its own timestamp.
            using (var request = new HttpRequestMessage(HttpMethod.Get, uri))
            {
                try
                {
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    }

                    status = response.StatusCode;
                    failure = $"HTTP {(int)response.StatusCode}";
                    if (!IsTransient(response.StatusCode))
                    {
                        var detail = await ReadErrorAsync(response, cancellationToken);
                        throw new KalshiApiException($"GET {uri.PathAndQuery} failed: {failure} {detail}".TrimEnd(), status);
                    }

                    retryAfter = RetryAfter(response);
                }
                catch (HttpRequestException ex)
                {
                    failure = ex.Message;
                    error = ex;
                }
                catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = $"no answer within {_http.Timeout.TotalSeconds:0.#} s";
                    error = ex;
                }
            }

            if (attempt + 1 >= _policy.MaxAttempts)
            {
                throw new KalshiApiException($"GET {uri.PathAndQuery} failed after {attempt + 1} attempts: {failure}", status, error);
            }

            Interlocked.Increment(ref _retries);
            var delay = _policy.DelayBeforeRetry(attempt, retryAfter, Random.Shared.NextDouble());
            LogRetrying(_logger, uri.AbsolutePath, failure, delay.TotalMilliseconds, attempt + 1);
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout || (int)status >= 500;

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length > 200 ? text[..200] : text;
    }

    /// <summary>Holds each request until <see cref="KalshiRetryPolicy.MinRequestSpacing"/> has passed since the previous one started.</summary>
    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        await _pace.WaitAsync(cancellationToken);
        try
        {
            if (_anyRequest)
            {
                var wait = _policy.MinRequestSpacing - _time.GetElapsedTime(_lastRequestTimestamp);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken);
                }
            }

            _anyRequest = true;
            _lastRequestTimestamp = _time.GetTimestamp();
        }
        finally
        {
            _pace.Release();
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Debug, Message = "Kalshi GET {Path}: {Failure}; retry in {DelayMs:F0} ms (attempt {Attempt} failed)")]
    private static partial void LogRetrying(ILogger logger, string path, string failure, double delayMs, int attempt);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Kalshi GET /markets{Query}: stopped paging after {Pages} pages")]
    private static partial void LogTooManyPages(ILogger logger, string query, int pages);
}
