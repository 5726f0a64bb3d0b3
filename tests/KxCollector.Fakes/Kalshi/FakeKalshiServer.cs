using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KxCollector.Fakes.Kalshi;

/// <summary>
/// A local Kalshi Trade API v2 (REST) on 127.0.0.1, speaking the real shapes: GET /trade-api/v2/markets with
/// series_ticker, status, tickers, min/max_close_ts, min/max_settled_ts (refusing with 400 the pairs Kalshi's spec
/// calls incompatible), limit and cursor paging, and GET /markets/{ticker};
/// the history: /markets/trades, /series/{s}/markets/{t}/candlesticks, /historical/cutoff, /historical/markets[/{t}],
/// /historical/markets/{t}/candlesticks (suffix-less field names) and /historical/trades, split at a settable cutoff
/// the way Kalshi splits them (a market settled before the cutoff exists only in /historical/…, and so on).
/// Market objects are built from a captured market (the fixture shape) with the scripted fields replaced. With a
/// public key set, every request must carry a valid KALSHI-ACCESS-* signature or gets 401. Faults (429, 500, slow
/// answers, dropped connections) can be scripted for a number of requests or a period.
/// </summary>
public sealed class FakeKalshiServer : IAsyncDisposable
{
    public const string ApiPrefix = "/trade-api/v2";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeMarket> _markets = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeKalshiRequest> _requests = new();
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly JsonObject _template;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private RSA? _publicKey;
    private string? _expectedKeyId;
    private Fault? _faultUntil;
    private int _disconnects;
    private Func<FakeKalshiRequest, bool>? _onRequest;
    private DateTimeOffset _faultDeadline;
    private DateTimeOffset _hangUntil;

    private FakeKalshiServer(WebApplication app, JsonObject template, TimeProvider time)
    {
        _app = app;
        _template = template;
        _time = time;
        Sports = new FakeSports(time);
    }

    /// <summary>Series by category and tag, events with milestones, milestones and live game data (FakeSports.cs).</summary>
    public FakeSports Sports { get; }

    /// <summary>http://127.0.0.1:port/trade-api/v2, to be used as KALSHI_API_URL.</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>Markets per page when the client's limit is larger, so paging is exercised with few markets.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Trades per page of /markets/trades and /historical/trades when the client asks for more.</summary>
    public int TradesPageSize { get; set; } = 100;

    /// <summary>
    /// Kalshi's live/historical boundary: markets (and their candles) settled before <c>MarketSettled</c> and trades
    /// created before <c>TradesCreated</c> are served only by /historical/…. Null: no historical tier (the cutoff
    /// endpoint answers 404 and everything is live).
    /// </summary>
    public (DateTimeOffset MarketSettled, DateTimeOffset TradesCreated)? Cutoff { get; set; }

    /// <summary>
    /// Answer 400 to filter pairs Kalshi documents as incompatible, as its spec allows: on /markets close-time filters
    /// with a status other than "closed", settled-time filters with a status other than "settled", or both kinds
    /// together; on /historical/markets any timestamp filter (its documented query has none). On by default; false
    /// is the lenient reading (every filter applied).
    /// </summary>
    public bool RejectIncompatibleFilters { get; set; } = true;

    /// <summary>Answer 400 to every /historical/markets listing (an API refusing it).</summary>
    public bool RefuseHistoricalListings { get; set; }

    public IReadOnlyList<FakeKalshiRequest> Requests => _requests.ToArray();

    public IEnumerable<FakeMarket> Markets => _markets.Values;

    /// <param name="marketTemplateJson">A market object as Kalshi returns it (e.g. the "market" of a captured
    /// GET /markets/{ticker}); null uses a built-in copy of such a capture.</param>
    public static async Task<FakeKalshiServer> StartAsync(string? marketTemplateJson = null, TimeProvider? time = null)
    {
        var template = JsonNode.Parse(marketTemplateJson ?? FakeMarketTemplate.Json)!.AsObject();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeKalshiServer(app, template, time ?? TimeProvider.System);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.ApiBaseUrl = new Uri(address.TrimEnd('/') + ApiPrefix);
        return server;
    }

    public void AddMarket(FakeMarket market)
    {
        ArgumentNullException.ThrowIfNull(market);
        _markets[market.Ticker] = market;
    }

    public bool RemoveMarket(string ticker) => _markets.TryRemove(ticker, out _);

    /// <summary>From now on, reject any request not signed by this key (PEM public key) with this key id.</summary>
    public void RequireSignatures(string publicKeyPem, string keyId)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(publicKeyPem);
        lock (_gate)
        {
            _publicKey?.Dispose();
            _publicKey = rsa;
            _expectedKeyId = keyId;
        }
    }

    /// <summary>The next <paramref name="count"/> requests get this status (e.g. 429 with Kalshi's body, or 500).</summary>
    public void FailNext(int statusCode, int count = 1, TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(new Fault(statusCode, TimeSpan.Zero, retryAfter));
        }
    }

    /// <summary>Every request for the given period gets this status.</summary>
    public void FailFor(TimeSpan period, int statusCode)
    {
        lock (_gate)
        {
            _faultUntil = new Fault(statusCode, TimeSpan.Zero, null);
            _faultDeadline = _time.GetUtcNow() + period;
        }
    }

    /// <summary>
    /// For the given period the server hangs: a request arriving then gets no answer until the period ends (or the
    /// client gives up), like a CDN edge that accepts connections but never replies.
    /// </summary>
    public void HangFor(TimeSpan period)
    {
        lock (_gate)
        {
            _hangUntil = _time.GetUtcNow() + period;
        }
    }

    /// <summary>The next <paramref name="count"/> requests are answered normally, but only after <paramref name="delay"/>.</summary>
    public void DelayNext(TimeSpan delay, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(new Fault(null, delay, null));
        }
    }

    /// <summary>The next <paramref name="count"/> requests have their connection dropped without an answer (a network cut).</summary>
    public void DisconnectNext(int count = 1) => Interlocked.Add(ref _disconnects, count);

    /// <summary>Called after each answered request; returning true removes the hook (tests use it to interrupt a run).</summary>
    public void OnRequest(Func<FakeKalshiRequest, bool>? hook) => _onRequest = hook;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _publicKey?.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.PathBase.Value + request.Path.Value;
        var now = _time.GetUtcNow();
        var keyId = Header(request, "KALSHI-ACCESS-KEY");
        var timestamp = Header(request, "KALSHI-ACCESS-TIMESTAMP");
        var signature = Header(request, "KALSHI-ACCESS-SIGNATURE");
        bool? signatureValid = null;
        int status;

        DateTimeOffset hangUntil;
        lock (_gate)
        {
            hangUntil = _hangUntil;
        }

        if (hangUntil > now)
        {
            try
            {
                await Task.Delay(hangUntil - now, _time, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client gave up waiting: recorded with status 0, "never answered".
                _requests.Enqueue(new FakeKalshiRequest(now, request.Method, path, request.QueryString.Value ?? string.Empty, keyId, timestamp, signature, null, 0));
                return;
            }
        }

        if (TakeDisconnect())
        {
            _requests.Enqueue(new FakeKalshiRequest(now, request.Method, path, request.QueryString.Value ?? string.Empty, keyId, timestamp, signature, null, 0));
            context.Abort();
            return;
        }

        var fault = NextFault(now);
        if (fault?.Delay > TimeSpan.Zero)
        {
            await Task.Delay(fault.Delay, context.RequestAborted);
        }

        lock (_gate)
        {
            if (_publicKey is not null)
            {
                signatureValid = keyId == _expectedKeyId && Verify(_publicKey, timestamp, request.Method, path, signature);
            }
        }

        if (fault?.StatusCode is { } faultStatus)
        {
            status = faultStatus;
            if (fault.RetryAfter is { } after)
            {
                context.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            await WriteJsonAsync(context, status, faultStatus == 429 ? """{"error":"too many requests"}""" : """{"error":{"code":"internal_server_error","message":"internal server error"}}""");
        }
        else if (signatureValid == false)
        {
            status = 401;
            await WriteJsonAsync(context, status, """{"error":{"code":"authentication_error","message":"invalid signature"}}""");
        }
        else if (request.Method != "GET")
        {
            status = 405;
            await WriteJsonAsync(context, status, """{"error":{"code":"method_not_allowed"}}""");
        }
        else if (path.StartsWith(ApiPrefix, StringComparison.Ordinal) && Sports.Answer(path[ApiPrefix.Length..], request.Query) is { } sports)
        {
            status = sports.Status;
            await WriteJsonAsync(context, status, sports.Body);
        }
        else if ((path == ApiPrefix + "/markets" || path == ApiPrefix + "/historical/markets") && Refusal(request.Query, historical: path != ApiPrefix + "/markets") is { } refusal)
        {
            status = 400;
            await WriteJsonAsync(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = "invalid_parameters", ["message"] = refusal } }.ToJsonString());
        }
        else if (path == ApiPrefix + "/markets")
        {
            status = 200;
            await WriteJsonAsync(context, status, ListMarkets(request.Query, now, historical: false));
        }
        else if (path == ApiPrefix + "/markets/trades" || path == ApiPrefix + "/historical/trades")
        {
            status = 200;
            await WriteJsonAsync(context, status, ListTrades(request.Query, historical: path.EndsWith("/historical/trades", StringComparison.Ordinal)));
        }
        else if (path == ApiPrefix + "/historical/cutoff")
        {
            status = Cutoff is null ? 404 : 200;
            await WriteJsonAsync(context, status, Cutoff is { } cutoff
                ? new JsonObject { ["market_settled_ts"] = Rfc3339(cutoff.MarketSettled), ["trades_created_ts"] = Rfc3339(cutoff.TradesCreated), ["orders_updated_ts"] = Rfc3339(cutoff.TradesCreated) }.ToJsonString()
                : """{"error":{"code":"not_found","message":"not found"}}""");
        }
        else if (path == ApiPrefix + "/historical/markets")
        {
            status = 200;
            await WriteJsonAsync(context, status, ListMarkets(request.Query, now, historical: true));
        }
        else if (CandlesTicker(path) is { } candles)
        {
            var found = _markets.TryGetValue(candles.Ticker, out var candleMarket) && IsHistorical(candleMarket) == candles.Historical;
            status = found ? 200 : 404;
            await WriteJsonAsync(context, status, found
                ? RenderCandles(candleMarket!, request.Query, candles.Historical)
                : """{"error":{"code":"not_found","message":"market not found"}}""");
        }
        else if (path.StartsWith(ApiPrefix + "/historical/markets/", StringComparison.Ordinal)
                 && _markets.TryGetValue(path[(ApiPrefix.Length + 20)..], out var historicalMarket) && IsHistorical(historicalMarket))
        {
            status = 200;
            await WriteJsonAsync(context, status, new JsonObject { ["market"] = Render(historicalMarket, now) }.ToJsonString());
        }
        else if (path.StartsWith(ApiPrefix + "/markets/", StringComparison.Ordinal) && _markets.TryGetValue(path[(ApiPrefix.Length + 9)..], out var market))
        {
            status = 200;
            await WriteJsonAsync(context, status, new JsonObject { ["market"] = Render(market, now) }.ToJsonString());
        }
        else
        {
            status = 404;
            await WriteJsonAsync(context, status, """{"error":{"code":"not_found","message":"not found"}}""");
        }

        var seen = new FakeKalshiRequest(now, request.Method, path, request.QueryString.Value ?? string.Empty, keyId, timestamp, signature, signatureValid, status);
        _requests.Enqueue(seen);
        if (_onRequest is { } hook && hook(seen))
        {
            _onRequest = null;
        }
    }

    private bool TakeDisconnect()
    {
        while (true)
        {
            var left = Volatile.Read(ref _disconnects);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _disconnects, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    /// <summary>Settled before the market cutoff: served only by /historical/markets and its candlesticks.</summary>
    private bool IsHistorical(FakeMarket market) =>
        Cutoff is { } cutoff && market.SettledAt is { } settled && settled < cutoff.MarketSettled;

    private static (string Ticker, bool Historical)? CandlesTicker(string path)
    {
        const string Suffix = "/candlesticks";
        if (!path.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var inner = path[..^Suffix.Length];
        if (inner.StartsWith(ApiPrefix + "/historical/markets/", StringComparison.Ordinal))
        {
            return (inner[(ApiPrefix.Length + 20)..], true);
        }

        // /series/{series}/markets/{ticker}
        var parts = inner[ApiPrefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 4 && parts[0] == "series" && parts[2] == "markets" ? (parts[3], false) : null;
    }

    private string ListTrades(IQueryCollection query, bool historical)
    {
        var ticker = query["ticker"].ToString();
        var minTs = long.TryParse(query["min_ts"], CultureInfo.InvariantCulture, out var min) ? min : (long?)null;
        var maxTs = long.TryParse(query["max_ts"], CultureInfo.InvariantCulture, out var max) ? max : (long?)null;
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 1000) : 100;
        var offset = query["cursor"].ToString() is { Length: > 1 } cursor && cursor[0] == 't' && int.TryParse(cursor.AsSpan(1), CultureInfo.InvariantCulture, out var o) ? o : 0;
        var split = Cutoff?.TradesCreated;

        // Newest first, as Kalshi lists trades.
        var matching = _markets.Values
            .Where(m => ticker.Length == 0 || m.Ticker == ticker)
            .SelectMany(m => m.Trades.Select(t => (Market: m, Trade: t)))
            .Where(p => split is null ? !historical : (p.Trade.CreatedTime < split) == historical)
            .Where(p => minTs is null || p.Trade.CreatedTime.ToUnixTimeSeconds() >= minTs)
            .Where(p => maxTs is null || p.Trade.CreatedTime.ToUnixTimeSeconds() <= maxTs)
            .OrderByDescending(p => p.Trade.CreatedTime)
            .ThenBy(p => p.Trade.TradeId, StringComparer.Ordinal)
            .ToList();
        var page = matching.Skip(offset).Take(Math.Min(limit, TradesPageSize)).ToList();
        var next = offset + page.Count < matching.Count ? "t" + (offset + page.Count).ToString(CultureInfo.InvariantCulture) : string.Empty;
        var array = new JsonArray();
        foreach (var (market, trade) in page)
        {
            var json = new JsonObject
            {
                ["trade_id"] = trade.TradeId,
                ["ticker"] = market.Ticker,
                ["count_fp"] = trade.Count,
                ["yes_price_dollars"] = trade.YesPrice,
                ["no_price_dollars"] = trade.NoPrice,
                ["taker_outcome_side"] = trade.TakerSide,
                ["taker_book_side"] = trade.TakerBookSide,
                ["is_block_trade"] = trade.IsBlockTrade,
                ["created_time"] = Rfc3339(trade.CreatedTime),
            };
            if (trade.WithDeprecatedTakerSide)
            {
                json["taker_side"] = trade.TakerSide;
            }

            array.Add(json);
        }

        return new JsonObject { ["cursor"] = next, ["trades"] = array }.ToJsonString();
    }

    private static string RenderCandles(FakeMarket market, IQueryCollection query, bool historical)
    {
        var start = long.TryParse(query["start_ts"], CultureInfo.InvariantCulture, out var s) ? s : long.MinValue;
        var end = long.TryParse(query["end_ts"], CultureInfo.InvariantCulture, out var e) ? e : long.MaxValue;
        var period = int.TryParse(query["period_interval"], CultureInfo.InvariantCulture, out var p) ? p : 1;
        var suffix = historical ? string.Empty : "_dollars";
        var array = new JsonArray();
        foreach (var candle in market.Candles
                     .Where(c => c.PeriodMinutes == period && c.End.ToUnixTimeSeconds() >= start && c.End.ToUnixTimeSeconds() <= end)
                     .OrderBy(c => c.End))
        {
            var price = Ohlc(candle.Price, suffix);
            price["mean" + suffix] = candle.PriceMean;
            price["previous" + suffix] = candle.PricePrevious;
            if (!historical)
            {
                price["min_dollars"] = candle.Price.Low;
                price["max_dollars"] = candle.Price.High;
            }

            array.Add(new JsonObject
            {
                ["end_period_ts"] = candle.End.ToUnixTimeSeconds(),
                ["yes_bid"] = Ohlc(candle.YesBid, suffix),
                ["yes_ask"] = Ohlc(candle.YesAsk, suffix),
                ["price"] = price,
                [historical ? "volume" : "volume_fp"] = candle.Volume,
                [historical ? "open_interest" : "open_interest_fp"] = candle.OpenInterest,
            });
        }

        return new JsonObject { ["ticker"] = market.Ticker, ["candlesticks"] = array }.ToJsonString();
    }

    private static JsonObject Ohlc(FakeOhlc ohlc, string suffix) => new()
    {
        ["open" + suffix] = ohlc.Open,
        ["low" + suffix] = ohlc.Low,
        ["high" + suffix] = ohlc.High,
        ["close" + suffix] = ohlc.Close,
    };

    private Fault? NextFault(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_faultUntil is not null && now < _faultDeadline)
            {
                return _faultUntil;
            }
        }

        return _faults.TryDequeue(out var fault) ? fault : null;
    }

    /// <summary>Why Kalshi's spec lets it refuse this listing's filters, or null when they are a documented combination.</summary>
    private string? Refusal(IQueryCollection query, bool historical)
    {
        if (RefuseHistoricalListings && historical)
        {
            return "listing refused";
        }

        if (!RejectIncompatibleFilters)
        {
            return null;
        }

        var close = query.ContainsKey("min_close_ts") || query.ContainsKey("max_close_ts");
        var settled = query.ContainsKey("min_settled_ts") || query.ContainsKey("max_settled_ts");
        var status = query["status"].ToString();
        if (historical)
        {
            return close || settled ? "timestamp filters are not supported on historical markets" : null;
        }

        if (close && settled)
        {
            return "timestamp filters are mutually exclusive";
        }

        if (close && status.Length > 0 && status != "closed")
        {
            return "status filter not compatible with close timestamp filters";
        }

        return settled && status.Length > 0 && status != "settled" ? "status filter not compatible with settled timestamp filters" : null;
    }

    private string ListMarkets(IQueryCollection query, DateTimeOffset now, bool historical)
    {
        var series = query["series_ticker"].ToString();
        var status = query["status"].ToString();
        var tickers = query["tickers"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var minClose = long.TryParse(query["min_close_ts"], CultureInfo.InvariantCulture, out var min) ? min : (long?)null;
        var maxClose = long.TryParse(query["max_close_ts"], CultureInfo.InvariantCulture, out var max) ? max : (long?)null;
        var minSettled = long.TryParse(query["min_settled_ts"], CultureInfo.InvariantCulture, out var minS) ? minS : (long?)null;
        var maxSettled = long.TryParse(query["max_settled_ts"], CultureInfo.InvariantCulture, out var maxS) ? maxS : (long?)null;
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 1000) : 100;
        var offset = query["cursor"].ToString() is { Length: > 1 } cursor && cursor[0] == 'o' && int.TryParse(cursor.AsSpan(1), CultureInfo.InvariantCulture, out var o) ? o : 0;

        var matching = _markets.Values
            .Where(m => series.Length == 0 || m.SeriesTicker == series)
            .Where(m => tickers.Length == 0 || tickers.Contains(m.Ticker))
            .Where(m => IsHistorical(m) == historical)
            .Where(m => historical || status.Length == 0 || MatchesStatusFilter(m.StatusAt(now), status))
            .Where(m => minClose is null || m.CloseTime.ToUnixTimeSeconds() >= minClose)
            .Where(m => maxClose is null || m.CloseTime.ToUnixTimeSeconds() <= maxClose)
            .Where(m => minSettled is null || (m.SettledAt is { } at && at <= now && at.ToUnixTimeSeconds() >= minSettled))
            .Where(m => maxSettled is null || (m.SettledAt is { } at2 && at2 <= now && at2.ToUnixTimeSeconds() <= maxSettled))
            .OrderBy(m => m.Ticker, StringComparer.Ordinal)
            .ToList();

        var pageSize = Math.Min(limit, PageSize);
        var page = matching.Skip(offset).Take(pageSize).ToList();
        var next = offset + page.Count < matching.Count ? "o" + (offset + page.Count).ToString(CultureInfo.InvariantCulture) : string.Empty;
        var array = new JsonArray();
        foreach (var market in page)
        {
            array.Add(Render(market, now));
        }

        return new JsonObject { ["cursor"] = next, ["markets"] = array }.ToJsonString();
    }

    /// <summary>The query's status words differ from the market's (docs/venues.md): open → active, settled → finalized.</summary>
    private static bool MatchesStatusFilter(string marketStatus, string filter) => filter switch
    {
        "unopened" => marketStatus == "initialized",
        "open" => marketStatus == "active",
        "paused" => marketStatus == "inactive",
        "closed" => marketStatus is "closed" or "determined" or "disputed" or "amended",
        "settled" => marketStatus == "finalized",
        _ => false,
    };

    private JsonObject Render(FakeMarket market, DateTimeOffset now)
    {
        var json = _template.DeepClone().AsObject();
        var status = market.StatusAt(now);
        var finalized = status == "finalized";
        json["ticker"] = market.Ticker;
        json["event_ticker"] = market.EventTicker ?? market.Ticker[..market.Ticker.LastIndexOf('-')];
        json["status"] = status;
        json["open_time"] = Rfc3339(market.OpenTime);
        json["close_time"] = Rfc3339(market.CloseTime);
        json["expected_expiration_time"] = Rfc3339(market.CloseTime.AddMinutes(5));
        json["floor_strike"] = market.FloorStrike is { } strike ? JsonValue.Create(strike) : null;
        json["yes_bid_dollars"] = market.YesBid;
        json["yes_ask_dollars"] = market.YesAsk;
        json["no_bid_dollars"] = market.NoBid;
        json["no_ask_dollars"] = market.NoAsk;
        json["last_price_dollars"] = market.LastPrice;
        json["volume_fp"] = market.Volume;
        json["open_interest_fp"] = market.OpenInterest;
        json["result"] = finalized ? market.Result : string.Empty;
        json["expiration_value"] = finalized ? market.ExpirationValue : string.Empty;
        json["updated_time"] = Rfc3339(now);
        if (finalized)
        {
            json["settlement_ts"] = Rfc3339(market.CloseTime + market.FinalizeAfterClose!.Value);
        }
        else
        {
            json.Remove("settlement_ts");
        }

        return json;
    }

    /// <summary>Kalshi's own style: no fraction when whole seconds, microseconds otherwise.</summary>
    private static string Rfc3339(DateTimeOffset time) =>
        time.UtcTicks % TimeSpan.TicksPerSecond == 0
            ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    internal static bool Verify(RSA publicKey, string? timestamp, string method, string path, string? signature)
    {
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        var message = Encoding.UTF8.GetBytes(timestamp + method.ToUpperInvariant() + path);
        return publicKey.VerifyData(message, bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    private static async Task WriteJsonAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "public, max-age=15";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private sealed record Fault(int? StatusCode, TimeSpan Delay, TimeSpan? RetryAfter);
}
