using System.Globalization;
using System.Runtime.InteropServices;

namespace KxCollector.Fakes.Exchanges;

/// <summary>
/// <c>kxfakes exchanges --coinbase-port N --kraken-port N --bitstamp-port N [--rate 50] [--price 70000]</c>: the three
/// exchange fakes in their own process until SIGTERM/Ctrl-C, for soak runs and systemd tests. Quotes are fixed so a
/// run can be checked exactly: mids of price (Coinbase), price + 0.5 (Kraken), price − 0.5 (Bitstamp), median = price.
/// With --walk D (the offline demo) the price instead takes a random step of up to D dollars every second, the three
/// venues keeping those offsets, so a chart of the recording has something to show.
/// </summary>
public static class ExchangesCommand
{
    public const string Usage =
        "usage: kxfakes exchanges [--coinbase-port N] [--kraken-port N] [--bitstamp-port N] [--rate QUOTES_PER_SECOND] [--price MID] [--walk DOLLARS]\n" +
        "  ports default to 0 (any free port); --rate defaults to 50; --price defaults to 70000; --walk (default 0: fixed quotes) a random step a second";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (!TryParse(args, out var settings, out var problem))
        {
            await errors.WriteLineAsync($"kxfakes exchanges: {problem}");
            await errors.WriteLineAsync(Usage);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        await using var coinbase = await FakeCoinbase.StartAsync(settings.CoinbasePort);
        await using var kraken = await FakeKraken.StartAsync(settings.KrakenPort);
        await using var bitstamp = await FakeBitstamp.StartAsync(settings.BitstampPort);
        var price = settings.Price;
        SetQuotes(price);
        foreach (var fake in new FakeExchange[] { coinbase, kraken, bitstamp })
        {
            fake.QuotesPerSecond = settings.Rate;
            await output.WriteLineAsync($"{fake.Name} {fake.Url}");
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ready: mids coinbase {price}, kraken {price + 0.5m}, bitstamp {price - 0.5m}; median {price}"));
        await output.FlushAsync(CancellationToken.None);

        try
        {
            if (settings.Walk == 0)
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }

            var random = new Random(70000);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                // Whole cents, so every recorded mid stays an exact decimal.
                price = Math.Max(2m, price + Math.Round(((decimal)random.NextDouble() * 2m - 1m) * settings.Walk, 2));
                SetQuotes(price);
            }
        }
        catch (OperationCanceledException)
        {
        }

        // What was really delivered, for a soak report: at high rates a loaded machine may fall short of --rate.
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"sent: coinbase {coinbase.QuotesSent}, kraken {kraken.QuotesSent}, bitstamp {bitstamp.QuotesSent}"));
        await output.FlushAsync(CancellationToken.None);
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        void SetQuotes(decimal mid)
        {
            coinbase.SetQuote(mid - 0.01m, mid + 0.01m);
            kraken.SetQuote(mid + 0.4m, mid + 0.6m);
            bitstamp.SetQuote(mid - 1m, mid);
        }
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
                case "--coinbase-port" when TryPort(value, out var port):
                    settings = settings with { CoinbasePort = port };
                    break;
                case "--kraken-port" when TryPort(value, out var port):
                    settings = settings with { KrakenPort = port };
                    break;
                case "--bitstamp-port" when TryPort(value, out var port):
                    settings = settings with { BitstampPort = port };
                    break;
                case "--rate" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0 && rate <= 10_000:
                    settings = settings with { Rate = rate };
                    break;
                case "--price" when decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var price) && price > 1m:
                    settings = settings with { Price = price };
                    break;
                case "--walk" when decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var walk) && walk is >= 0m and <= 1000m:
                    settings = settings with { Walk = walk };
                    break;
                default:
                    problem = $"unknown option or bad value: {name} {value}";
                    return false;
            }
        }

        return true;
    }

    private static bool TryPort(string value, out int port) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;

    private sealed record Settings
    {
        public int CoinbasePort { get; init; }

        public int KrakenPort { get; init; }

        public int BitstampPort { get; init; }

        public double Rate { get; init; } = 50;

        public decimal Price { get; init; } = 70000m;

        public decimal Walk { get; init; }
    }
}
