using System.Globalization;

namespace KxCollector.Fakes.Kalshi;

/// <summary>
/// Many Kalshi markets at once, sports-like (issue 15's scale benchmark): <c>markets</c> long-lived markets (opened an
/// hour ago, closing in 30 days) spread round-robin over <c>series</c> series KXSCALE00, KXSCALE01, …, four markets
/// an event, listed by the REST fake (pages of up to 1,000) with a book each on the WebSocket fake. Traffic (ticker,
/// orderbook_delta, trade: <see cref="FakeMarketTraffic"/>) goes to a market chosen by a Zipf weight over a shuffled
/// rank, so most markets are quiet and a few are busy, as in a sports evening. Sequence numbers are the WebSocket
/// fake's, per subscription, so a collector sees no gap unless one is injected (<see cref="GapEvery"/>).
/// </summary>
public sealed class FakeScaleUniverse
{
    public const string SeriesPrefix = "KXSCALE";
    private const int MarketsPerEvent = 4;

    private readonly FakeKalshiServer _rest;
    private readonly FakeKalshiWebSocket _ws;
    private readonly FakeMarket[] _markets;
    private readonly double[] _cumulativeWeight;
    private readonly FakeMarketTraffic _traffic;
    private long _gapsInjected;

    public FakeScaleUniverse(FakeKalshiServer rest, FakeKalshiWebSocket ws, int markets, int series, DateTimeOffset now, int seed = 15)
    {
        ArgumentNullException.ThrowIfNull(rest);
        ArgumentNullException.ThrowIfNull(ws);
        ArgumentOutOfRangeException.ThrowIfLessThan(markets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(series, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(series, markets);
        _rest = rest;
        _ws = ws;
        var random = new Random(seed);
        _traffic = new FakeMarketTraffic(ws, random);
        SeriesTickers = Enumerable.Range(0, series).Select(i => string.Create(CultureInfo.InvariantCulture, $"{SeriesPrefix}{i:D2}")).ToList();
        _markets = new FakeMarket[markets];
        for (var i = 0; i < markets; i++)
        {
            var inSeries = i / series;
            var ticker = string.Create(CultureInfo.InvariantCulture, $"{SeriesTickers[i % series]}-G{inSeries / MarketsPerEvent:D4}-M{inSeries % MarketsPerEvent}");
            _markets[i] = new FakeMarket
            {
                Ticker = ticker,
                OpenTime = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()).AddHours(-1),
                CloseTime = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()).AddDays(30),
                YesBid = "0.4800",
                YesAsk = "0.4900",
                NoBid = "0.5100",
                NoAsk = "0.5200",
                LastPrice = "0.4800",
            };
        }

        // Zipf (s = 1) over a shuffled rank: the busiest market gets about 1/ln(N) of the traffic, most almost none.
        var ranks = Enumerable.Range(1, markets).ToArray();
        random.Shuffle(ranks);
        _cumulativeWeight = new double[markets];
        var total = 0d;
        for (var i = 0; i < markets; i++)
        {
            total += 1d / ranks[i];
            _cumulativeWeight[i] = total;
        }
    }

    public IReadOnlyList<string> SeriesTickers { get; }

    public IEnumerable<string> MarketTickers => _markets.Select(m => m.Ticker);

    /// <summary>With a value, one orderbook_delta is dropped (its seq used: a gap) every so often; null never.</summary>
    public TimeSpan? GapEvery { get; init; }

    public long Tickers => _traffic.Tickers;

    public long Deltas => _traffic.Deltas;

    public long Trades => _traffic.Trades;

    /// <inheritdoc cref="FakeMarketTraffic.TradesDelivered"/>
    public long TradesDelivered => _traffic.TradesDelivered;

    public long Messages => _traffic.Messages;

    public long GapsInjected => Interlocked.Read(ref _gapsInjected);

    /// <inheritdoc cref="FakeMarketTraffic.TradePublished"/>
    public Action<string, int>? TradePublished
    {
        get => _traffic.TradePublished;
        set => _traffic.TradePublished = value;
    }

    /// <summary>
    /// Lists every market on the REST fake and gives each its book and its current ticker on the WebSocket fake, so a
    /// subscription with send_initial_snapshot gets a stream quote even for a market that stays quiet.
    /// </summary>
    public async Task ListAsync()
    {
        // Kalshi's own page limit: a poll of a series is one request, not ten.
        _rest.PageSize = Math.Max(_rest.PageSize, 1000);
        foreach (var market in _markets)
        {
            _rest.AddMarket(market);
            _traffic.Prepare(market);
            await _ws.PublishTickerAsync(market.Ticker, market.YesBid!, market.YesAsk!, market.LastPrice!, market.Volume, market.OpenInterest);
        }
    }

    /// <summary>One message on a market chosen by weight.</summary>
    public Task PublishOneAsync()
    {
        var index = Array.BinarySearch(_cumulativeWeight, _traffic.Random.NextDouble() * _cumulativeWeight[^1]);
        return _traffic.PublishAsync(_markets[index < 0 ? Math.Min(~index, _markets.Length - 1) : index]);
    }

    /// <summary>Streams <paramref name="rate"/> messages a second in all until cancelled.</summary>
    public async Task StreamAsync(double rate, CancellationToken cancellationToken)
    {
        var clock = TimeProvider.System;
        var nextGap = GapEvery is { } every ? clock.GetTimestamp() + (long)(every.TotalSeconds * clock.TimestampFrequency) : long.MaxValue;
        await FakePacing.RunAsync(rate, () =>
        {
            if (clock.GetTimestamp() >= nextGap)
            {
                _ws.DropNextDeltas(1);
                Interlocked.Increment(ref _gapsInjected);
                nextGap += (long)(GapEvery!.Value.TotalSeconds * clock.TimestampFrequency);
            }

            return PublishOneAsync();
        }, cancellationToken);
    }

    /// <summary>The report line kxfakes prints at exit, which bench/compare.sh reads.</summary>
    public string Report(TimeSpan elapsed) => string.Create(
        CultureInfo.InvariantCulture,
        $"markets {_markets.Length}, messages {Messages} (tickers {Tickers}, deltas {Deltas}, trades {Trades}, trades delivered {TradesDelivered}, gaps injected {GapsInjected}) in {elapsed.TotalSeconds:F1} s");
}
