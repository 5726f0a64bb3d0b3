using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
/// A local Kalshi WebSocket v2 on 127.0.0.1 (ws://127.0.0.1:port/trade-api/ws/v2), speaking the real frame shapes
/// of docs/venues.md and tests/fixtures/frames/kalshi-ws.jsonl: subscribe with per-channel "subscribed" acks (sid in
/// msg), update_subscription add_markets/delete_markets/get_snapshot, unsubscribe, list_subscriptions; then
/// orderbook_snapshot/orderbook_delta with a seq per sid, ticker, trade (with seq) and market_lifecycle_v2 to every
/// connection whose subscription covers the market. As Kalshi's AsyncAPI spec has it: get_snapshot is answered by
/// orderbook_snapshot frames carrying the command's id and no "ok"; a ticker subscription sends the current quotes
/// at once only when asked with send_initial_snapshot; trades carry taker_outcome_side, taker_book_side and
/// is_block_trade (the deprecated taker_side optionally). With a public key set, the upgrade must be signed (path
/// /trade-api/ws/v2) or it is refused with 401. Faults: drop or repeat deltas (sequence gaps, repeats), end a
/// channel's subscriptions with a terminal error (25 buffer overflow, with sid and no id), go silent, drop every
/// connection, refuse new ones.
/// </summary>
public sealed partial class FakeKalshiWebSocket : IAsyncDisposable
{
    public const string Path = "/trade-api/ws/v2";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, Session> _sessions = new();
    private readonly ConcurrentDictionary<string, Book> _books = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _tickers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _commands = new();
    private readonly ConcurrentQueue<FakeKalshiRequest> _upgrades = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private RSA? _publicKey;
    private string? _expectedKeyId;
    private int _nextSession;
    private int _dropDeltas;
    private int _repeatDeltas;

    private FakeKalshiWebSocket(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    /// <summary>ws://127.0.0.1:port/trade-api/ws/v2, to be used as KALSHI_WS_URL.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every command received, as sent (JSON text), in order.</summary>
    public IReadOnlyList<string> Commands => _commands.ToArray();

    /// <summary>Every upgrade attempt, with its signature check.</summary>
    public IReadOnlyList<FakeKalshiRequest> Upgrades => _upgrades.ToArray();

    public int OpenConnections => _sessions.Count;

    /// <summary>While true, nothing is sent and no command is answered (the link looks dead but stays open).</summary>
    public bool Silent { get; set; }

    /// <summary>While true, upgrades are refused with 503 (the venue is down).</summary>
    public bool RefuseConnections { get; set; }

    /// <summary>
    /// Send the current ticker of each market when a subscribe asks for it with send_initial_snapshot (and on
    /// add_markets); false sends tickers only on change whatever the client asks.
    /// </summary>
    public bool TickerOnSubscribe { get; set; } = true;

    /// <summary>The markets the connections' ticker subscriptions cover now.</summary>
    public IReadOnlyCollection<string> SubscribedMarkets =>
        _sessions.Values.SelectMany(s => s.MarketsOf("ticker")).Distinct(StringComparer.Ordinal).ToList();

    public static async Task<FakeKalshiWebSocket> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeKalshiWebSocket(app, time ?? TimeProvider.System);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(10) });
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.StartIndexPublisher();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + Path);
        return server;
    }

    /// <summary>From now on, refuse (401) any upgrade not signed by this key (PEM public key) with this key id.</summary>
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

    /// <summary>Sets a market's book (dollar-string prices and sizes, any order); subscribers get it as their snapshot.</summary>
    public void SetBook(string ticker, IEnumerable<(string Price, string Size)> yes, IEnumerable<(string Price, string Size)> no)
    {
        var book = new Book();
        foreach (var (price, size) in yes)
        {
            book.Yes[decimal.Parse(price, CultureInfo.InvariantCulture)] = decimal.Parse(size, CultureInfo.InvariantCulture);
        }

        foreach (var (price, size) in no)
        {
            book.No[decimal.Parse(price, CultureInfo.InvariantCulture)] = decimal.Parse(size, CultureInfo.InvariantCulture);
        }

        _books[ticker] = book;
    }

    /// <summary>Sends a ticker message to the market's ticker subscribers (and keeps it for new subscribers).</summary>
    public async Task PublishTickerAsync(string ticker, string yesBid, string yesAsk, string price = "0.0560", string volume = "1552146.80", string openInterest = "480556.08")
    {
        var msg = new JsonObject
        {
            ["market_ticker"] = ticker,
            ["market_id"] = "9b0f6b43-5b68-4f9f-b4a5-0b9b4e3d1c11",
            ["price_dollars"] = price,
            ["yes_bid_dollars"] = yesBid,
            ["yes_ask_dollars"] = yesAsk,
            ["yes_bid_size_fp"] = "4000.00",
            ["yes_ask_size_fp"] = "22.00",
            ["last_trade_size_fp"] = "5.00",
            ["volume_fp"] = volume,
            ["open_interest_fp"] = openInterest,
            ["dollar_volume"] = 86920,
            ["dollar_open_interest"] = 26911,
            ["ts_ms"] = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        _tickers[ticker] = msg;
        foreach (var session in _sessions.Values)
        {
            await session.SendToChannelAsync("ticker", ticker, (sid, _) => Frame("ticker", sid, null, msg), withSeq: false);
        }
    }

    /// <summary>
    /// Changes a book level by <paramref name="deltaFp"/> and sends the delta to the market's book subscribers. Unless
    /// the next deltas are set to be dropped (the seq still advances: a gap) or repeated (sent twice, same seq).
    /// </summary>
    public async Task PublishDeltaAsync(string ticker, string side, string price, string deltaFp)
    {
        var book = _books.GetOrAdd(ticker, _ => new Book());
        var p = decimal.Parse(price, CultureInfo.InvariantCulture);
        var d = decimal.Parse(deltaFp, CultureInfo.InvariantCulture);
        lock (book)
        {
            var levels = side == "yes" ? book.Yes : book.No;
            var size = (levels.TryGetValue(p, out var old) ? old : 0m) + d;
            if (size <= 0)
            {
                levels.Remove(p);
            }
            else
            {
                levels[p] = size;
            }
        }

        var drop = TakeOne(ref _dropDeltas);
        var repeat = !drop && TakeOne(ref _repeatDeltas);
        var msg = new JsonObject
        {
            ["market_ticker"] = ticker,
            ["market_id"] = "9b0f6b43-5b68-4f9f-b4a5-0b9b4e3d1c11",
            ["price_dollars"] = price,
            ["delta_fp"] = deltaFp,
            ["side"] = side,
            ["ts_ms"] = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        foreach (var session in _sessions.Values)
        {
            await session.SendToChannelAsync("orderbook_delta", ticker, (sid, seq) => drop ? null : Frame("orderbook_delta", sid, seq, msg), withSeq: true, repeat);
        }
    }

    /// <summary>
    /// Sends a trade to the market's trade subscribers: <paramref name="takerSide"/> is the taker's outcome
    /// (taker_outcome_side), repeated as the deprecated taker_side unless <paramref name="withDeprecatedTakerSide"/> is false.
    /// </summary>
    /// <returns>How many subscriptions it was sent to (0: nobody subscribed to the market's trades).</returns>
    public async Task<int> PublishTradeAsync(
        string ticker, string tradeId, string yesPrice, string noPrice, string countFp, string takerSide, long? tsMs = null,
        string takerBookSide = "ask", bool isBlockTrade = false, bool withDeprecatedTakerSide = true)
    {
        var msg = new JsonObject
        {
            ["trade_id"] = tradeId,
            ["market_ticker"] = ticker,
            ["yes_price_dollars"] = yesPrice,
            ["no_price_dollars"] = noPrice,
            ["count_fp"] = countFp,
        };
        if (withDeprecatedTakerSide)
        {
            msg["taker_side"] = takerSide;
        }

        msg["taker_outcome_side"] = takerSide;
        msg["taker_book_side"] = takerBookSide;
        msg["is_block_trade"] = isBlockTrade;
        msg["ts_ms"] = tsMs ?? _time.GetUtcNow().ToUnixTimeMilliseconds();
        var delivered = 0;
        foreach (var session in _sessions.Values)
        {
            delivered += await session.SendToChannelAsync("trade", ticker, (sid, seq) => Frame("trade", sid, seq, msg), withSeq: true);
        }

        return delivered;
    }

    /// <summary>Sends a market_lifecycle_v2 event (all markets) to every lifecycle subscriber; extra fields join msg.</summary>
    public async Task PublishLifecycleAsync(string ticker, string eventType, JsonObject? extra = null)
    {
        var msg = new JsonObject { ["event_type"] = eventType, ["market_ticker"] = ticker };
        foreach (var (key, value) in extra ?? [])
        {
            msg[key] = value?.DeepClone();
        }

        foreach (var session in _sessions.Values)
        {
            await session.SendToChannelAsync("market_lifecycle_v2", null, (sid, _) => Frame("market_lifecycle_v2", sid, null, msg), withSeq: false);
        }
    }

    /// <summary>
    /// Ends every subscription of <paramref name="channel"/> as Kalshi does on a terminal error: an error frame with
    /// the sid and no id (25 "Subscription buffer overflow" by default), and nothing more is sent for that sid.
    /// </summary>
    public async Task EndSubscriptionsAsync(string channel, int code = 25, string message = "Subscription buffer overflow")
    {
        foreach (var session in _sessions.Values)
        {
            await session.EndChannelAsync(channel, code, message);
        }
    }

    /// <summary>
    /// The market_lifecycle_v2 "determined" event as Kalshi sends it: the result and settlement_value, the payout per
    /// YES contract in fixed-point dollars ("1.0000" for yes, "0.0000" for no); the index value the market settled
    /// on is not in it (REST's expiration_value has it).
    /// </summary>
    public Task PublishDeterminedAsync(string ticker, string result, DateTimeOffset? at = null) =>
        PublishLifecycleAsync(ticker, "determined", new JsonObject
        {
            ["result"] = result,
            ["settlement_value"] = result == "yes" ? "1.0000" : "0.0000",
            ["determination_ts"] = (at ?? _time.GetUtcNow()).ToUnixTimeSeconds(),
        });

    /// <summary>The next <paramref name="count"/> deltas are not sent, but their seq numbers are used (a gap).</summary>
    public void DropNextDeltas(int count = 1) => Interlocked.Add(ref _dropDeltas, count);

    /// <summary>The next <paramref name="count"/> deltas are sent twice with the same seq (a repeat).</summary>
    public void RepeatNextDeltas(int count = 1) => Interlocked.Add(ref _repeatDeltas, count);

    /// <summary>Drops every open connection abruptly (no close handshake), as a network cut does.</summary>
    public void DisconnectAll()
    {
        foreach (var session in _sessions.Values)
        {
            session.Socket.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopIndexPublisherAsync();
        DisconnectAll();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _publicKey?.Dispose();
    }

    private static bool TakeOne(ref int counter)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    private static JsonObject Frame(string type, long sid, long? seq, JsonObject msg)
    {
        var frame = new JsonObject { ["type"] = type, ["sid"] = sid };
        if (seq is { } s)
        {
            frame["seq"] = s;
        }

        frame["msg"] = msg.DeepClone();
        return frame;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var keyId = Header(request, "KALSHI-ACCESS-KEY");
        var timestamp = Header(request, "KALSHI-ACCESS-TIMESTAMP");
        var signature = Header(request, "KALSHI-ACCESS-SIGNATURE");
        bool? valid = null;
        lock (_gate)
        {
            if (_publicKey is not null)
            {
                valid = keyId == _expectedKeyId && FakeKalshiServer.Verify(_publicKey, timestamp, request.Method, request.Path.Value ?? string.Empty, signature);
            }
        }

        int status;
        if (request.Path.Value != Path || !context.WebSockets.IsWebSocketRequest)
        {
            status = 404;
        }
        else if (RefuseConnections)
        {
            status = 503;
        }
        else if (valid == false)
        {
            status = 401;
        }
        else
        {
            status = 101;
        }

        _upgrades.Enqueue(new FakeKalshiRequest(_time.GetUtcNow(), request.Method, request.Path.Value ?? string.Empty, string.Empty, keyId, timestamp, signature, valid, status));
        if (status != 101)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(status == 401 ? """{"error":{"code":"authentication_error","message":"invalid signature"}}""" : "{}", context.RequestAborted);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var id = Interlocked.Increment(ref _nextSession);
        var session = new Session(this, socket);
        _sessions[id] = session;
        try
        {
            await session.RunAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away or we aborted it: the session simply ends.
        }
        finally
        {
            _sessions.TryRemove(id, out _);
        }
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    private sealed class Book
    {
        public SortedDictionary<decimal, decimal> Yes { get; } = [];

        public SortedDictionary<decimal, decimal> No { get; } = [];
    }

    /// <summary>One client connection: its subscriptions (sid → channel and markets) and a seq counter per sid.</summary>
    private sealed partial class Session(FakeKalshiWebSocket owner, WebSocket socket)
    {
        private readonly SemaphoreSlim _send = new(1, 1);
        private readonly Lock _gate = new();
        private readonly Dictionary<long, (string Channel, HashSet<string> Markets)> _subs = [];
        private readonly Dictionary<long, long> _seq = [];
        private long _nextSid;

        public WebSocket Socket => socket;

        public IEnumerable<string> MarketsOf(string channel)
        {
            lock (_gate)
            {
                return _subs.Values.Where(s => s.Channel == channel).SelectMany(s => s.Markets).ToList();
            }
        }

        public async Task RunAsync(CancellationToken token)
        {
            var buffer = new byte[64 * 1024];
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), token);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, token);
                    return;
                }

                var text = Encoding.UTF8.GetString(buffer, 0, length);
                owner._commands.Enqueue(text);
                if (!owner.Silent)
                {
                    await HandleCommandAsync(JsonNode.Parse(text)!.AsObject());
                }
            }
        }

        /// <summary>
        /// Sends to this session's subscriptions of a channel covering the market (every one when market is null);
        /// returns how many subscriptions that was.
        /// </summary>
        public async Task<int> SendToChannelAsync(string channel, string? market, Func<long, long, JsonObject?> build, bool withSeq, bool repeat = false)
        {
            List<long> sids;
            lock (_gate)
            {
                sids = _subs.Where(p => p.Value.Channel == channel && (market is null || p.Value.Markets.Contains(market))).Select(p => p.Key).ToList();
            }

            foreach (var sid in sids)
            {
                await SendSequencedAsync(sid, seq => build(sid, seq), withSeq, repeat);
            }

            return sids.Count;
        }

        public async Task EndChannelAsync(string channel, int code, string message)
        {
            List<long> sids;
            lock (_gate)
            {
                sids = _subs.Where(p => p.Value.Channel == channel).Select(p => p.Key).ToList();
                foreach (var sid in sids)
                {
                    _subs.Remove(sid);
                }
            }

            foreach (var sid in sids)
            {
                await SendAsync(new JsonObject { ["type"] = "error", ["sid"] = sid, ["msg"] = new JsonObject { ["code"] = code, ["msg"] = message } });
            }
        }

        private long NextSeq(long sid)
        {
            lock (_gate)
            {
                var next = (_seq.TryGetValue(sid, out var last) ? last : 0) + 1;
                _seq[sid] = next;
                return next;
            }
        }

        private async Task HandleCommandAsync(JsonObject command)
        {
            var id = command["id"]?.GetValue<long>() ?? 0;
            var cmd = command["cmd"]?.GetValue<string>();
            var parameters = command["params"] as JsonObject ?? [];
            switch (cmd)
            {
                case "subscribe":
                    var channels = (parameters["channels"] as JsonArray ?? []).Select(c => c!.GetValue<string>()).ToList();
                    var markets = Tickers(parameters);
                    foreach (var channel in channels)
                    {
                        if (channel == IndexChannel)
                        {
                            await SubscribeIndexAsync(id, parameters);
                            continue;
                        }

                        long sid;
                        lock (_gate)
                        {
                            sid = ++_nextSid;
                            _subs[sid] = (channel, markets.ToHashSet(StringComparer.Ordinal));
                        }

                        await SendAsync(new JsonObject { ["id"] = id, ["type"] = "subscribed", ["msg"] = new JsonObject { ["channel"] = channel, ["sid"] = sid } });
                        var initialTickers = parameters["send_initial_snapshot"]?.GetValue<bool>() == true;
                        await SendInitialAsync(channel, sid, markets, initialTickers, answering: null);
                    }

                    break;
                case "update_subscription":
                    var updateSid = parameters["sid"]?.GetValue<long>() ?? (parameters["sids"] as JsonArray)?[0]?.GetValue<long>() ?? 0;
                    var action = parameters["action"]?.GetValue<string>();
                    var tickers = Tickers(parameters);
                    string? updateChannel;
                    lock (_gate)
                    {
                        updateChannel = _subs.TryGetValue(updateSid, out var sub) ? sub.Channel : null;
                        if (updateChannel is not null && action == "add_markets")
                        {
                            sub.Markets.UnionWith(tickers);
                        }
                        else if (updateChannel is not null && action == "delete_markets")
                        {
                            sub.Markets.ExceptWith(tickers);
                        }
                    }

                    if (updateChannel is null)
                    {
                        await SendAsync(new JsonObject { ["id"] = id, ["type"] = "error", ["msg"] = new JsonObject { ["code"] = 5, ["msg"] = "Subscription not found" } });
                        break;
                    }

                    if (action == "get_snapshot")
                    {
                        // Kalshi's spec: the answer is the snapshots themselves, each with the command's id; no "ok".
                        await SendInitialAsync(updateChannel, updateSid, tickers, initialTickers: false, answering: id);
                        break;
                    }

                    await SendAsync(new JsonObject { ["id"] = id, ["type"] = "ok", ["sid"] = updateSid, ["msg"] = new JsonObject { ["market_tickers"] = new JsonArray(tickers.Select(t => (JsonNode)t!).ToArray()) } });
                    if (action == "add_markets")
                    {
                        await SendInitialAsync(updateChannel, updateSid, tickers, initialTickers: true, answering: null);
                    }

                    break;
                case "unsubscribe":
                    foreach (var node in parameters["sids"] as JsonArray ?? [])
                    {
                        var sid = node!.GetValue<long>();
                        lock (_gate)
                        {
                            _subs.Remove(sid);
                        }

                        await SendAsync(new JsonObject { ["id"] = id, ["sid"] = sid, ["type"] = "unsubscribed" });
                    }

                    break;
                case "list_subscriptions":
                    await SendAsync(new JsonObject { ["id"] = id, ["type"] = "ok", ["msg"] = new JsonArray() });
                    break;
                default:
                    await SendAsync(new JsonObject { ["id"] = id, ["type"] = "error", ["msg"] = new JsonObject { ["code"] = 8, ["msg"] = "Unknown command" } });
                    break;
            }
        }

        /// <summary>
        /// What a new subscription (or an added market, or get_snapshot) receives: book snapshots (with the id of the
        /// get_snapshot they answer), and current tickers when the subscribe asked for them.
        /// </summary>
        private async Task SendInitialAsync(string channel, long sid, List<string> markets, bool initialTickers, long? answering)
        {
            foreach (var market in markets)
            {
                if (channel == "orderbook_delta")
                {
                    var book = owner._books.GetOrAdd(market, _ => new Book());
                    var msg = new JsonObject { ["market_ticker"] = market, ["market_id"] = "9b0f6b43-5b68-4f9f-b4a5-0b9b4e3d1c11" };
                    lock (book)
                    {
                        // A side's key is missing when the side is empty, as Kalshi does.
                        if (book.Yes.Count > 0)
                        {
                            msg["yes_dollars_fp"] = Levels(book.Yes);
                        }

                        if (book.No.Count > 0)
                        {
                            msg["no_dollars_fp"] = Levels(book.No);
                        }
                    }

                    await SendSequencedAsync(sid, seq =>
                    {
                        var snapshot = Frame("orderbook_snapshot", sid, seq, msg);
                        if (answering is { } commandId)
                        {
                            snapshot["id"] = commandId;
                        }

                        return snapshot;
                    }, withSeq: true, repeat: false);
                }
                else if (channel == "ticker" && initialTickers && owner.TickerOnSubscribe && owner._tickers.TryGetValue(market, out var ticker))
                {
                    await SendAsync(Frame("ticker", sid, null, ticker));
                }
            }
        }

        private static JsonArray Levels(SortedDictionary<decimal, decimal> levels) =>
            new(levels.Select(p => (JsonNode)new JsonArray(
                p.Key.ToString("0.0000", CultureInfo.InvariantCulture),
                p.Value.ToString("0.00", CultureInfo.InvariantCulture))).ToArray());

        private static List<string> Tickers(JsonObject parameters) =>
            (parameters["market_tickers"] as JsonArray ?? []).Select(t => t!.GetValue<string>()).ToList();

        private async Task SendAsync(JsonObject frame)
        {
            await _send.WaitAsync();
            try
            {
                await SendHoldingLockAsync(frame);
            }
            finally
            {
                _send.Release();
            }
        }

        /// <summary>
        /// Takes the subscription's next seq and sends the frame built with it under one hold of the send lock, so
        /// frames leave in seq order even while a snapshot (the session's own loop) and the publisher send at once.
        /// </summary>
        private async Task SendSequencedAsync(long sid, Func<long, JsonObject?> build, bool withSeq, bool repeat)
        {
            await _send.WaitAsync();
            try
            {
                if (build(withSeq ? NextSeq(sid) : 0) is { } frame)
                {
                    await SendHoldingLockAsync(frame);
                    if (repeat)
                    {
                        await SendHoldingLockAsync(frame);
                    }
                }
            }
            finally
            {
                _send.Release();
            }
        }

        private async Task SendHoldingLockAsync(JsonObject frame)
        {
            if (owner.Silent || socket.State != WebSocketState.Open)
            {
                return;
            }

            try
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
            {
                // The client is gone; its session ends on its own receive loop.
            }
        }
    }
}
