using System.Globalization;
using System.Runtime.InteropServices;

namespace KxCollector.Fakes.Exchanges;

/// <summary>
/// <c>kxfakes exchanges --coinbase-port N --kraken-port N --bitstamp-port N [--rate 50] [--price 70000]</c>: the three
/// exchange fakes in their own process until SIGTERM/Ctrl-C, for soak runs and systemd tests. Quotes are fixed so a
/// run can be checked exactly: mids of price (Coinbase), price + 0.5 (Kraken), price − 0.5 (Bitstamp), median = price.
/// </summary>
public static class ExchangesCommand
{
    public const string Usage =
        "usage: kxfakes exchanges [--coinbase-port N] [--kraken-port N] [--bitstamp-port N] [--rate QUOTES_PER_SECOND] [--price MID]\n" +
        "  ports default to 0 (any free port); --rate defaults to 50; --price defaults to 70000";

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
        coinbase.SetQuote(price - 0.01m, price + 0.01m);
        kraken.SetQuote(price + 0.4m, price + 0.6m);
        bitstamp.SetQuote(price - 1m, price);
        foreach (var fake in new FakeExchange[] { coinbase, kraken, bitstamp })
        {
            fake.QuotesPerSecond = settings.Rate;
            await output.WriteLineAsync($"{fake.Name} {fake.Url}");
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ready: mids coinbase {price}, kraken {price + 0.5m}, bitstamp {price - 0.5m}; median {price}"));
        await output.FlushAsync(CancellationToken.None);

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
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
    }
}
