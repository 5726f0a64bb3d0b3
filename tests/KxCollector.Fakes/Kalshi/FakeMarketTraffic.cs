using System.Globalization;

namespace KxCollector.Fakes.Kalshi;

/// <summary>
/// One market message at a time on the fake WebSocket, as Kalshi's traffic mixes them: a trade now and then (8 %), a
/// ticker change (42 %) or a book delta near the touch (50 %), each market keeping a walking top of book, a traded
/// volume and its book levels, so every message agrees with the ones before it. Counts what it sent.
/// </summary>
internal sealed class FakeMarketTraffic(FakeKalshiWebSocket ws, Random random)
{
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private long _tickers;
    private long _deltas;
    private long _trades;
    private long _tradesDelivered;

    /// <summary>The generator behind every choice, for the caller's own (which market next).</summary>
    public Random Random => random;

    /// <summary>Told of every trade published: its id and how many subscriptions it reached (kxfakes --trades-out).</summary>
    public Action<string, int>? TradePublished { get; set; }

    public long Tickers => Interlocked.Read(ref _tickers);

    public long Deltas => Interlocked.Read(ref _deltas);

    public long Trades => Interlocked.Read(ref _trades);

    /// <summary>Trades sent to at least one subscription: the ones a collector subscribed to the market must record.</summary>
    public long TradesDelivered => Interlocked.Read(ref _tradesDelivered);

    public long Messages => Tickers + Deltas + Trades;

    /// <summary>Gives the market its book on the fake (the snapshot new subscribers get) before any traffic.</summary>
    public void Prepare(FakeMarket market) => StateOf(market);

    public void Forget(string ticker)
    {
        lock (_states)
        {
            _states.Remove(ticker);
        }
    }

    public async Task PublishAsync(FakeMarket market)
    {
        var state = StateOf(market);
        var roll = random.NextDouble();
        if (roll < 0.08)
        {
            // A taker lifting the yes ask or hitting the yes bid.
            var yes = random.Next(2) == 0;
            var yesPrice = yes ? state.AskCents : state.BidCents;
            state.Volume += 5m;
            var id = Interlocked.Increment(ref _trades);
            var tradeId = $"fake-{market.Ticker}-{id}";
            var delivered = await ws.PublishTradeAsync(
                market.Ticker, tradeId, Dollars(yesPrice), Dollars(100 - yesPrice), "5.00", yes ? "yes" : "no",
                takerBookSide: yes ? "ask" : "bid", withDeprecatedTakerSide: id % 2 == 0);
            TradePublished?.Invoke(tradeId, delivered);
            if (delivered > 0)
            {
                Interlocked.Increment(ref _tradesDelivered);
            }

            market.LastPrice = Dollars(yesPrice);
            market.Volume = Fixed(state.Volume);
        }
        else if (roll < 0.5)
        {
            state.Walk(random);
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
            var side = random.Next(2) == 0 ? "yes" : "no";
            var cents = Math.Clamp(side == "yes" ? state.BidCents - random.Next(3) : 100 - state.AskCents - random.Next(3), 1, 99);
            var delta = state.Change(side, cents, random.Next(2) == 0 ? 25m : -10m);
            await ws.PublishDeltaAsync(market.Ticker, side, Dollars(cents), Fixed(delta));
            Interlocked.Increment(ref _deltas);
        }
    }

    private State StateOf(FakeMarket market)
    {
        lock (_states)
        {
            if (!_states.TryGetValue(market.Ticker, out var state))
            {
                state = new State();
                _states[market.Ticker] = state;
                ws.SetBook(market.Ticker, state.YesBook(), state.NoBook());
            }

            return state;
        }
    }

    private static string Dollars(int cents) => (cents / 100m).ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Fixed(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A market's top of book in cents, walking a cent at a time, and its traded volume.</summary>
    private sealed class State
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
