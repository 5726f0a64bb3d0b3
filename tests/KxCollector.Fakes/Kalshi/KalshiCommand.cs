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
/// <c>--markets N</c> adds the scale universe (<see cref="FakeScaleUniverse"/>) beside KXBTC15M: it prints its series
/// (<c>scale-series A,B,…</c>) before the ready line and what it sent (<c>sent-scale: …</c>) at exit.
/// <c>--trades-out PATH</c> writes a line per trade published, "unix-ms trade-id subscriptions-reached", so a soak
/// can check every trade the collector was sent against the ones it wrote, by id.
/// </summary>
public static class KalshiCommand
{
    public const string Usage =
        "usage: kxfakes kalshi [--rate MESSAGES_PER_SECOND] [--key-out PATH] [--market-seconds 60..900] [--refuse-index CODE] [--trades-out PATH]\n" +
        "  --rate defaults to 10 (WebSocket messages a second over all open markets); --key-out writes a private key and turns signature checks on;\n" +
        "  --market-seconds (default 900, KXBTC15M's quarter hour) shorter markets, the first closing 25 s after start;\n" +
        "  --refuse-index answers cfbenchmarks_value subscribes with that error code;\n" +
        "  --trades-out writes 'unix-ms trade-id subscriptions-reached' for every trade published;\n" +
        "  --markets N [--series K] [--msg-rate M] [--inject-gaps SECONDS]: also N long-lived markets over K series (default 3) KXSCALE00…,\n" +
        "  M messages a second among them (default 500; a few markets busy, most quiet), a delta dropped every SECONDS (default never)";

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
        FakeScaleUniverse? scale = null;
        if (settings.Markets is { } markets)
        {
            scale = new FakeScaleUniverse(rest, ws, markets, settings.ScaleSeries ?? 3, started) { GapEvery = settings.GapEvery };
            await scale.ListAsync();
        }

        await using var tradeLog = settings.TradesOut is { } tradesPath ? new TradeLog(tradesPath) : null;
        if (tradeLog is not null)
        {
            series.TradePublished = tradeLog.Write;
            if (scale is not null)
            {
                scale.TradePublished = tradeLog.Write;
            }
        }

        // Markets that closed before start are announced at once, as a collector connecting now would hear of them.
        await series.PublishLifecycleAsync(started);

        await output.WriteLineAsync($"kalshi-rest {rest.ApiBaseUrl}");
        await output.WriteLineAsync($"kalshi-ws {ws.Url}");
        if (keyId is not null)
        {
            await output.WriteLineAsync($"kalshi-key-id {keyId}");
        }

        if (scale is not null)
        {
            await output.WriteLineAsync($"scale-series {string.Join(',', scale.SeriesTickers)}");
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ready: {Series} open {series.OpenTicker}, {settings.Rate} messages/s, {settings.MarketSeconds} s markets{(keyId is null ? string.Empty : ", signatures required")}"));
        await output.FlushAsync(CancellationToken.None);

        try
        {
            await Task.WhenAll(series.ScheduleAsync(stop.Token), series.StreamAsync(stop.Token), scale?.StreamAsync(settings.MessageRate ?? 500, stop.Token) ?? Task.CompletedTask);
        }
        catch (OperationCanceledException)
        {
        }

        // What was really delivered, for a soak report: at high rates a loaded machine may fall short of --rate.
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"sent: kalshi {series.Sent} (tickers {series.Tickers}, deltas {series.Deltas}, trades {series.Trades}, lifecycle {series.Lifecycle}, determined {series.Determined})"));
        if (scale is not null)
        {
            await output.WriteLineAsync("sent-scale: " + scale.Report(TimeProvider.System.GetUtcNow() - started));
        }

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
                case "--trades-out" when value.Length > 0:
                    settings = settings with { TradesOut = value };
                    break;

                case "--refuse-index" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code):
                    settings = settings with { RefuseIndex = code };
                    break;

                // At least a minute: tickers name the close minute, so two markets must not close in the same one.
                case "--market-seconds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 60 and <= 900:
                    settings = settings with { MarketSeconds = seconds };
                    break;
                case "--markets" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var markets) && markets is >= 1 and <= 100_000:
                    settings = settings with { Markets = markets };
                    break;
                case "--series" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 100:
                    settings = settings with { ScaleSeries = count };
                    break;
                case "--msg-rate" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var messages) && messages > 0 && messages <= 100_000:
                    settings = settings with { MessageRate = messages };
                    break;
                case "--inject-gaps" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var every) && every >= 0.1:
                    settings = settings with { GapEvery = TimeSpan.FromSeconds(every) };
                    break;
                default:
                    problem = $"unknown option or bad value: {name} {value}";
                    return false;
            }
        }

        if (settings.Markets is null && (settings.ScaleSeries is not null || settings.MessageRate is not null || settings.GapEvery is not null))
        {
            problem = "--series, --msg-rate and --inject-gaps need --markets";
            return false;
        }

        if (settings.Markets < (settings.ScaleSeries ?? 3))
        {
            problem = "--markets must be at least --series";
            return false;
        }

        return true;
    }

    private sealed record Settings
    {
        public double Rate { get; init; } = 10;

        public string? KeyOut { get; init; }

        public string? TradesOut { get; init; }

        public int MarketSeconds { get; init; } = (int)Quarter.TotalSeconds;

        public int? RefuseIndex { get; init; }

        public int? Markets { get; init; }

        /// <summary>Null: not given (3 series).</summary>
        public int? ScaleSeries { get; init; }

        /// <summary>Null: not given (500 messages a second).</summary>
        public double? MessageRate { get; init; }

        public TimeSpan? GapEvery { get; init; }
    }

    /// <summary>Keeps the series' markets in step with the clock and streams the open market's traffic.</summary>
    private sealed class SeriesRunner(FakeKalshiServer rest, FakeKalshiWebSocket ws, double rate, TimeSpan length, DateTimeOffset anchor)
    {
        private static readonly TimeSpan DeterminedAfterClose = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan SettledAfterClose = TimeSpan.FromSeconds(7);

        // One seeded generator picks the market and the message, so a run's traffic is the same every time.
        private readonly FakeMarketTraffic _traffic = new(ws, new Random(15));
        private readonly HashSet<string> _lifecycleSent = new(StringComparer.Ordinal);
        private long _lifecycle;
        private long _determined;

        public long Tickers => _traffic.Tickers;

        public long Deltas => _traffic.Deltas;

        public long Trades => _traffic.Trades;

        public Action<string, int>? TradePublished
        {
            get => _traffic.TradePublished;
            set => _traffic.TradePublished = value;
        }

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
                _traffic.Forget(market.Ticker);

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
            foreach (var market in rest.Markets.Where(m => m.SeriesTicker == Series).ToList())
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

        public Task StreamAsync(CancellationToken cancellationToken) =>
            FakePacing.RunAsync(rate, () => PublishOneAsync(TimeProvider.System.GetUtcNow()), cancellationToken);

        private async Task PublishOneAsync(DateTimeOffset now)
        {
            var open = rest.Markets.Where(m => m.SeriesTicker == Series && m.StatusAt(now) == "active").ToList();
            if (open.Count == 0)
            {
                return;
            }

            await _traffic.PublishAsync(open[_traffic.Random.Next(open.Count)]);
        }
    }

    /// <summary>--trades-out: one line per published trade; the series and the scale universe publish from their own loops.</summary>
    private sealed class TradeLog(string path) : IAsyncDisposable
    {
        // Flushed a line at a time (tens a second at most), so a reader sees each trade as it is published.
        private readonly StreamWriter _writer = new(path, append: false) { AutoFlush = true };

        public void Write(string tradeId, int subscriptions)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"{TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()} {tradeId} {subscriptions}");
            lock (_writer)
            {
                _writer.WriteLine(line);
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Both publishing loops have ended by now (they are awaited before the exit report).
            await _writer.DisposeAsync();
        }
    }
}
