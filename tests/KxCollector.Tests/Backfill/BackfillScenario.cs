using System.Globalization;
using KxCollector.Backfill;
using KxCollector.Configuration;
using KxCollector.Fakes.Kalshi;
using KxCollector.Kalshi.Rest;
using KxCollector.Kalshi.Signing;
using KxCollector.Tests.Support;
using KxCollector.Kalshi.History;
using KxCollector.Recording;

namespace KxCollector.Tests.Backfill;

/// <summary>
/// A day of KXBTC15M history on the fake: 12 settled quarter-hour markets on 2026-10-01 with 25 trades and 15
/// one-minute candles each, one market still without a result, one of the next day and one of another series.
/// The market cutoff falls after the 6th market's settlement, the trades cutoff inside the 5th market's life, so
/// the run must read historical markets with live trades, a market whose trades straddle the cutoff, and so on.
/// </summary>
internal static class BackfillScenario
{
    public const string Series = "KXBTC15M";
    public const int SettledMarkets = 12;
    public const int TradesPerMarket = 25;
    public const int CandlesPerMarket = 15;

    public static readonly DateTimeOffset Day = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset CloseOf(int index) => Day.AddMinutes(15 * (index + 1));

    public static void Populate(FakeKalshiServer fake)
    {
        ArgumentNullException.ThrowIfNull(fake);
        for (var i = 0; i < SettledMarkets; i++)
        {
            fake.AddMarket(Market(i, settled: true));
        }

        fake.AddMarket(Market(SettledMarkets, settled: false));
        var nextDay = new FakeMarket { Ticker = "KXBTC15M-26OCT012015-15", OpenTime = Day.AddDays(1).AddMinutes(15), CloseTime = Day.AddDays(1).AddMinutes(30), FloorStrike = 1m };
        nextDay.Trades.Add(new FakeTrade { TradeId = "next-day-trade", CreatedTime = nextDay.OpenTime.AddMinutes(1) });
        fake.AddMarket(nextDay);
        fake.AddMarket(new FakeMarket { Ticker = "KXETH15M-26SEP302015-15", OpenTime = Day, CloseTime = Day.AddMinutes(15) });

        var marketCutoff = CloseOf(5) + TimeSpan.FromSeconds(30);
        var tradesCutoff = CloseOf(4) - TimeSpan.FromMinutes(7.5);
        fake.Cutoff = (marketCutoff, tradesCutoff);
        fake.PageSize = 5;
        fake.TradesPageSize = 10;
    }

    public static BackfillRequest Request() => new()
    {
        Series = Series,
        From = Day,
        To = Day.AddDays(1),
    };

    public static KalshiRestClient Client(FakeKalshiServer fake, TokenBucket bucket, ListLogger log)
    {
        ArgumentNullException.ThrowIfNull(fake);
        var options = new KalshiOptions
        {
            Environment = "demo",
            ApiBaseUrl = fake.ApiBaseUrl,
            WebSocketUrl = new Uri(KalshiOptions.DemoWebSocketUrl),
            HttpTimeout = TimeSpan.FromSeconds(5),
        };
        var policy = new KalshiRetryPolicy
        {
            MaxAttempts = 5,
            BaseDelay = TimeSpan.FromMilliseconds(10),
            MaxDelay = TimeSpan.FromMilliseconds(50),
            MinRequestSpacing = TimeSpan.Zero,
        };
        return KalshiRestClient.Create(options, KalshiCredentials.Load(options, log), policy, TimeProvider.System, log, bucket);
    }

    /// <summary>Runs one backfill to its end (or its cancellation) over the folder, as the command does.</summary>
    public static async Task<BackfillStats> RunAsync(FakeKalshiServer fake, string outputDirectory, double rate, CancellationToken cancellationToken, BackfillRequest? request = null)
    {
        var log = new ListLogger();
        using var bucket = new TokenBucket(rate, 1, TimeProvider.System);
        using var rest = Client(fake, bucket, log);
        using var store = BackfillStore.TryOpen(outputDirectory, Series, log, out _) ?? throw new InvalidOperationException("backfill folder locked");
        var runner = new BackfillRunner(new KalshiHistoryClient(rest, log), store, log);
        await runner.RunAsync(request ?? Request(), cancellationToken);
        return runner.Stats;
    }

    /// <summary>Every data file of the series' backfill folder, by name, with its bytes.</summary>
    public static SortedDictionary<string, byte[]> Files(string outputDirectory)
    {
        var directory = DayFileName.BackfillDirectoryOf(outputDirectory, Series);
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(directory, "*.jsonl"))
        {
            files[Path.GetFileName(path)] = File.ReadAllBytes(path);
        }

        return files;
    }

    public static List<string> Lines(string outputDirectory, string kind) =>
        Files(outputDirectory).Where(f => f.Key.Contains("-" + kind + "-", StringComparison.Ordinal))
            .SelectMany(f => System.Text.Encoding.UTF8.GetString(f.Value).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .ToList();

    private static FakeMarket Market(int index, bool settled)
    {
        var close = CloseOf(index);
        var market = new FakeMarket
        {
            Ticker = string.Create(CultureInfo.InvariantCulture, $"KXBTC15M-26SEP30{20 + ((index + 1) / 4):00}{(index + 1) % 4 * 15:00}-{(index + 1) % 4 * 15:00}-{index:00}"),
            OpenTime = close.AddMinutes(-15),
            CloseTime = close,
            FinalizeAfterClose = settled ? TimeSpan.FromSeconds(11) : null,
            FloorStrike = 65000m + index,
            Result = index % 2 == 0 ? "yes" : "no",
            ExpirationValue = string.Create(CultureInfo.InvariantCulture, $"65,{100 + index}.25"),
        };
        for (var k = 0; k < TradesPerMarket; k++)
        {
            market.Trades.Add(new FakeTrade
            {
                TradeId = string.Create(CultureInfo.InvariantCulture, $"{index:00}{k:000}-{(index * 7919) + (k * 104729):x8}"),
                CreatedTime = market.OpenTime.AddSeconds(20 + (k * 35)).AddMilliseconds(123.456),
                YesPrice = k % 3 == 0 ? "0.0560" : "0.5600",
                NoPrice = k % 3 == 0 ? "0.9440" : "0.4400",
                Count = string.Create(CultureInfo.InvariantCulture, $"{k + 1}.50"),
                TakerSide = k % 2 == 0 ? "yes" : "no",
            });
        }

        for (var m = 1; m <= CandlesPerMarket; m++)
        {
            market.Candles.Add(new FakeCandle { End = market.OpenTime.AddMinutes(m), Volume = string.Create(CultureInfo.InvariantCulture, $"{m * 10}.00") });
        }

        market.Candles.Add(new FakeCandle { End = close.AddMinutes(45), PeriodMinutes = 60 });
        return market;
    }
}
