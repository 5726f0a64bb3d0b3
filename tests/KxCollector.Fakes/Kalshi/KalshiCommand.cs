using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace KxCollector.Fakes.Kalshi;

/// <summary>
/// <c>kxfakes kalshi [--rate 10] [--key-out PATH] [--market-seconds 900]</c>: the Kalshi REST and WebSocket fakes in
/// their own process until SIGTERM/Ctrl-C, for soak runs and the offline demo. A KXBTC15M series runs on the real
/// clock: the market of the current quarter hour is open, the next one is listed unopened, closed ones finalize 11 s
/// after close (as the fake does), and the WebSocket carries ticker updates, book deltas and the odd trade for the open
/// market at --rate messages a second in total, and the lifecycle of every market (activated at open, determined 1 s
/// and settled 7 s after close, as Kalshi sends them). With --market-seconds below 900 (the demo's short-market mode)
/// markets last that long instead, and the first one closes 25 s after start, so a market opens and settles within
/// a minute. With --key-out a fresh RSA key is written there (PKCS#8 PEM, mode 600) and both fakes then require
/// requests signed with it, so a soak exercises the daemon's signing as well. The "determined" event carries the
/// payout ("1.0000"/"0.0000"), never the index: expiration_value comes only from REST. The WebSocket publishes a
/// cfbenchmarks_value print a second per subscribed index; <c>--refuse-index CODE</c> refuses that subscription instead.
/// </summary>
public static class KalshiCommand
{
    public const string Usage =
        "usage: kxfakes kalshi [--rate MESSAGES_PER_SECOND] [--key-out PATH] [--market-seconds 60..900] [--refuse-index CODE]\n" +
        "  --rate defaults to 10 (WebSocket messages a second over all open markets); --key-out writes a private key and turns signature checks on;\n" +
        "  --market-seconds (default 900, KXBTC15M's quarter hour) shorter markets, the first closing 25 s after start;\n" +
        "  --refuse-index answers cfbenchmarks_value subscribes with that error code";

    public const string Series = "KXBTC15M";

    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);

    /// <summary>In the short-market mode, how long after start the first market closes.</summary>
    private static readonly TimeSpan FirstCloseAfter = TimeSpan.FromSeconds(25);

    /// <summary>Closed markets stay listed this long, so a long soak does not grow the fake without bound.</summary>
    private static readonly TimeSpan KeepClosed = TimeSpan.FromHours(1);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (!TryParse(args, out var settings, out var problem))
        {
            await errors.WriteLineAsync($"kxfakes kalshi: {problem}");
            await errors.WriteLineAsync(Usage);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        await using var rest = await FakeKalshiServer.StartAsync();
        await using var ws = await FakeKalshiWebSocket.StartAsync();
        string? keyId = null;
        if (settings.KeyOut is { } keyPath)
        {
            using var rsa = RSA.Create(2048);
            WritePrivateKey(keyPath, rsa.ExportPkcs8PrivateKeyPem());
            keyId = Guid.NewGuid().ToString();
            var publicKey = rsa.ExportSubjectPublicKeyInfoPem();
            rest.RequireSignatures(publicKey, keyId);
            ws.RequireSignatures(publicKey, keyId);
        }

        if (settings.RefuseIndex is { } code)
        {
            ws.RefuseIndexSubscription = (code, "Channel not available for this account");
        }

        var started = TimeProvider.System.GetUtcNow();
        var length = TimeSpan.FromSeconds(settings.MarketSeconds);

        // Real quarters start on the clock's quarter hours; short markets are phased so the first closes soon.
        var anchor = length == Quarter ? DateTimeOffset.UnixEpoch : DateTimeOffset.FromUnixTimeSeconds(started.ToUnixTimeSeconds()) + FirstCloseAfter;
        var series = new SeriesRunner(rest, ws, settings.Rate, length, anchor);
        series.Schedule(started);

        // Markets that closed before start are announced at once, as a collector connecting now would hear of them.
        await series.PublishLifecycleAsync(started);

        await output.WriteLineAsync($"kalshi-rest {rest.ApiBaseUrl}");
        await output.WriteLineAsync($"kalshi-ws {ws.Url}");
        if (keyId is not null)
        {
            await output.WriteLineAsync($"kalshi-key-id {keyId}");
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ready: {Series} open {series.OpenTicker}, {settings.Rate} messages/s, {settings.MarketSeconds} s markets{(keyId is null ? string.Empty : ", signatures required")}"));
        await output.FlushAsync(CancellationToken.None);

        try
        {
            await Task.WhenAll(series.ScheduleAsync(stop.Token), series.StreamAsync(stop.Token));
        }
        catch (OperationCanceledException)
        {
        }

        // What was really delivered, for a soak report: at high rates a loaded machine may fall short of --rate.
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"sent: kalshi {series.Sent} (tickers {series.Tickers}, deltas {series.Deltas}, trades {series.Trades}, lifecycle {series.Lifecycle}, determined {series.Determined})"));
        await output.FlushAsync(CancellationToken.None);
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>KXBTC15M-26JUL222315-15: the close time in US Eastern time, then the close minute (docs/venues.md).</summary>
    public static string TickerFor(DateTimeOffset closeTime)
    {
        var eastern = TimeZoneInfo.ConvertTime(closeTime, Eastern());
        return string.Create(CultureInfo.InvariantCulture, $"{Series}-{eastern:yy}{eastern.ToString("MMM", CultureInfo.InvariantCulture).ToUpperInvariant()}{eastern:ddHHmm}-{eastern:mm}");
    }

    private static TimeZoneInfo Eastern()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        }
        catch (TimeZoneNotFoundException)
        {
            // A machine without tzdata: fixed EST is close enough for a fake's tickers.
            return TimeZoneInfo.CreateCustomTimeZone("EST", TimeSpan.FromHours(-5), "EST", "EST");
        }
    }

    private static void WritePrivateKey(string path, string pem)
    {
        // Created 600 from the start, never readable by others even for a moment; replaced if it exists.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, options);
        writer.Write(pem);
    }

    private static bool TryParse(string[] args, out Settings settings, out string? problem)
    {
        settings = new Settings();
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                problem = $"{name} needs a value";
                return false;
            }

            var value = args[++i];
            switch (name)
            {
                case "--rate" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0 && rate <= 10_000:
                    settings = settings with { Rate = rate };
                    break;
                case "--key-out" when value.Length > 0:
                    settings = settings with { KeyOut = value };
                    break;

                case "--refuse-index" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code):
                    settings = settings with { RefuseIndex = code };
                    break;

                // At least a minute: tickers name the close minute, so two markets must not close in the same one.
                case "--market-seconds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 60 and <= 900:
                    settings = settings with { MarketSeconds = seconds };
                    break;
                default:
                    problem = $"unknown option or bad value: {name} {value}";
                    return false;
            }
        }

        return true;
    }

    private sealed record Settings
    {
        public double Rate { get; init; } = 10;

        public string? KeyOut { get; init; }

        public int MarketSeconds { get; init; } = (int)Quarter.TotalSeconds;

        public int? RefuseIndex { get; init; }
    }

    /// <summary>Keeps the series' markets in step with the clock and streams the open market's traffic.</summary>
    private sealed class SeriesRunner(FakeKalshiServer rest, FakeKalshiWebSocket ws, double rate, TimeSpan length, DateTimeOffset anchor)
    {
        private static readonly TimeSpan DeterminedAfterClose = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan SettledAfterClose = TimeSpan.FromSeconds(7);

        private readonly Random _random = new(15);
        private readonly Dictionary<string, MarketState> _states = new(StringComparer.Ordinal);
        private readonly HashSet<string> _lifecycleSent = new(StringComparer.Ordinal);
        private long _tickers;
        private long _deltas;
        private long _trades;
        private long _lifecycle;
        private long _determined;

        public long Tickers => Interlocked.Read(ref _tickers);

        public long Deltas => Interlocked.Read(ref _deltas);

        public long Trades => Interlocked.Read(ref _trades);

        public long Lifecycle => Interlocked.Read(ref _lifecycle);

        /// <summary>market_lifecycle_v2 "determined" events published (one per closed market).</summary>
        public long Determined => Interlocked.Read(ref _determined);

        public long Sent => Tickers + Deltas + Trades + Lifecycle;

        public string OpenTicker { get; private set; } = string.Empty;

        /// <summary>Lists the previous, current and next market; forgets those closed long ago.</summary>
        public void Schedule(DateTimeOffset now)
        {
            var sinceAnchor = (now - anchor).Ticks;
            var periodStart = now - TimeSpan.FromTicks(((sinceAnchor % length.Ticks) + length.Ticks) % length.Ticks);
            foreach (var open in new[] { periodStart - length, periodStart, periodStart + length })
            {
                var close = open + length;
                var ticker = TickerFor(close);
                if (!rest.Markets.Any(m => m.Ticker == ticker))
                {
                    // As Kalshi: expiration_value is the mean of the official prints stamped close-60 s … close-1 s,
                    // rounded half up to cents; floor_strike the same mean before open (the previous market's value).
                    var strike = WindowMean(open);
                    var value = WindowMean(close);
                    rest.AddMarket(new FakeMarket
                    {
                        Ticker = ticker,
                        EventTicker = ticker[..ticker.LastIndexOf('-')],
                        OpenTime = open,
                        CloseTime = close,
                        FloorStrike = open <= now ? strike : null,
                        ExpirationValue = value.ToString("N2", CultureInfo.InvariantCulture),
                        Result = value >= strike ? "yes" : "no",
                    });
                }

                if (open <= now && now < close)
                {
                    OpenTicker = ticker;

                    // A market listed before it opened gets its strike at open, as Kalshi's metadata_updated sets it.
                    rest.Markets.First(m => m.Ticker == ticker).FloorStrike ??= WindowMean(open);
                }
            }

            foreach (var market in rest.Markets.Where(m => m.CloseTime < now - KeepClosed).ToList())
            {
                rest.RemoveMarket(market.Ticker);
                lock (_states)
                {
                    _states.Remove(market.Ticker);
                }

                _lifecycleSent.RemoveWhere(k => k.StartsWith(market.Ticker + ":", StringComparison.Ordinal));
            }
        }

        private static decimal WindowMean(DateTimeOffset close)
        {
            var second = close.ToUnixTimeSeconds();
            return Math.Round(FakeKalshiWebSocket.IndexMean("BRTI", second - 60, second - 1), 2, MidpointRounding.AwayFromZero);
        }

        public async Task ScheduleAsync(CancellationToken cancellationToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = TimeProvider.System.GetUtcNow();
                Schedule(now);
                await PublishLifecycleAsync(now);
            }
        }

        /// <summary>Each market's lifecycle events once, when Kalshi would send them (docs/venues.md's timeline).</summary>
        public async Task PublishLifecycleAsync(DateTimeOffset now)
        {
            foreach (var market in rest.Markets.ToList())
            {
                var open = market.OpenTime.ToUnixTimeSeconds();
                var close = market.CloseTime.ToUnixTimeSeconds();
                if (now >= market.OpenTime && now < market.CloseTime)
                {
                    await OnceAsync(market, "activated", new JsonObject { ["open_ts"] = open, ["close_ts"] = close });
                }

                if (now >= market.CloseTime + DeterminedAfterClose)
                {
                    var payout = market.Result == "yes" ? "1.0000" : "0.0000";
                    await OnceAsync(market, "determined", new JsonObject { ["result"] = market.Result, ["settlement_value"] = payout, ["determination_ts"] = close + 1 });
                }

                if (now >= market.CloseTime + SettledAfterClose)
                {
                    await OnceAsync(market, "settled", new JsonObject { ["settled_ts"] = close + 7 });
                }
            }
        }

        private async Task OnceAsync(FakeMarket market, string eventType, JsonObject fields)
        {
            if (_lifecycleSent.Add(market.Ticker + ":" + eventType))
            {
                await ws.PublishLifecycleAsync(market.Ticker, eventType, fields);
                Interlocked.Increment(ref _lifecycle);
                if (eventType == "determined")
                {
                    Interlocked.Increment(ref _determined);
                }
            }
        }

        /// <summary>
        /// Sends on a schedule rather than one delay per message (as the exchange fakes do): what is due goes out in a
        /// burst at each wake-up, and a backlog beyond one second is dropped rather than flooded.
        /// </summary>
        public async Task StreamAsync(CancellationToken cancellationToken)
        {
            var clock = TimeProvider.System;
            var started = clock.GetTimestamp();
            long sent = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                var due = (long)(clock.GetElapsedTime(started).TotalSeconds * rate) + 1;
                if (due - sent > rate + 1)
                {
                    sent = due - (long)Math.Ceiling(rate);
                }

                while (sent < due && !cancellationToken.IsCancellationRequested)
                {
                    sent++;
                    await PublishOneAsync(clock.GetUtcNow());
                }

                var untilNext = TimeSpan.FromSeconds((sent / rate) - clock.GetElapsedTime(started).TotalSeconds);
                await Task.Delay(untilNext > TimeSpan.FromMilliseconds(1) ? untilNext : TimeSpan.FromMilliseconds(1), cancellationToken);
            }
        }

        private async Task PublishOneAsync(DateTimeOffset now)
        {
            var open = rest.Markets.Where(m => m.StatusAt(now) == "active").ToList();
            if (open.Count == 0)
            {
                return;
            }

            var market = open[_random.Next(open.Count)];
            MarketState state;
            lock (_states)
            {
                if (!_states.TryGetValue(market.Ticker, out state!))
                {
                    state = new MarketState();
                    _states[market.Ticker] = state;
                    ws.SetBook(market.Ticker, state.YesBook(), state.NoBook());
                }
            }

            var roll = _random.NextDouble();
            if (roll < 0.08)
            {
                // A taker lifting the yes ask or hitting the yes bid.
                var yes = _random.Next(2) == 0;
                var yesPrice = yes ? state.AskCents : state.BidCents;
                state.Volume += 5m;
                var id = Interlocked.Increment(ref _trades);
                await ws.PublishTradeAsync(
                    market.Ticker, $"fake-{market.Ticker}-{id}", Dollars(yesPrice), Dollars(100 - yesPrice), "5.00", yes ? "yes" : "no",
                    takerBookSide: yes ? "ask" : "bid", withDeprecatedTakerSide: id % 2 == 0);
                market.LastPrice = Dollars(yesPrice);
                market.Volume = Fixed(state.Volume);
            }
            else if (roll < 0.5)
            {
                state.Walk(_random);
                market.YesBid = Dollars(state.BidCents);
                market.YesAsk = Dollars(state.AskCents);
                market.NoBid = Dollars(100 - state.AskCents);
                market.NoAsk = Dollars(100 - state.BidCents);
                await ws.PublishTickerAsync(market.Ticker, market.YesBid, market.YesAsk, market.LastPrice ?? market.YesBid, Fixed(state.Volume), market.OpenInterest);
                Interlocked.Increment(ref _tickers);
            }
            else
            {
                // Size added to or taken from a level near the touch, never more than the level holds.
                var side = _random.Next(2) == 0 ? "yes" : "no";
                var cents = Math.Clamp(side == "yes" ? state.BidCents - _random.Next(3) : 100 - state.AskCents - _random.Next(3), 1, 99);
                var delta = state.Change(side, cents, _random.Next(2) == 0 ? 25m : -10m);
                await ws.PublishDeltaAsync(market.Ticker, side, Dollars(cents), Fixed(delta));
                Interlocked.Increment(ref _deltas);
            }
        }

        private static string Dollars(int cents) => (cents / 100m).ToString("0.0000", CultureInfo.InvariantCulture);

        private static string Fixed(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

        /// <summary>A market's top of book in cents, walking a cent at a time, and its traded volume.</summary>
        private sealed class MarketState
        {
            private readonly Dictionary<int, decimal> _yes = Enumerable.Range(0, 5).ToDictionary(i => 48 - i, i => 1000m + (i * 100m));

            private readonly Dictionary<int, decimal> _no = Enumerable.Range(0, 5).ToDictionary(i => 51 - i, i => 1000m + (i * 100m));

            public int BidCents { get; private set; } = 48;

            public int AskCents => BidCents + 1;

            public decimal Volume { get; set; } = 1000m;

            public void Walk(Random random) => BidCents = Math.Clamp(BidCents + random.Next(-1, 2), 2, 97);

            public IEnumerable<(string Price, string Size)> YesBook() => Levels(_yes);

            public IEnumerable<(string Price, string Size)> NoBook() => Levels(_no);

            /// <summary>Applies a change to a level, a removal capped at what is there; returns the change made.</summary>
            public decimal Change(string side, int cents, decimal wanted)
            {
                var levels = side == "yes" ? _yes : _no;
                var size = levels.GetValueOrDefault(cents);
                var delta = wanted < 0 && size < -wanted ? 25m : wanted;
                levels[cents] = size + delta;
                return delta;
            }

            private static IEnumerable<(string Price, string Size)> Levels(Dictionary<int, decimal> levels) =>
                levels.Select(p => (Dollars(p.Key), Fixed(p.Value))).ToList();
        }
    }
}
