using System.Diagnostics;
using System.Globalization;
using System.Text;
using KxCollector.Archive;

namespace KxCollector.Benchmarks.Archive;

/// <summary>
/// `archive-ratio FOLDER [--book-depth N]`: writes one UTC day of KXBTC15M as the recorder writes it — 86,400 ticks
/// of a BTC random walk with each exchange's own tick size and noise, the live quarter-hour market plus the closed
/// one awaiting its result, quotes that follow the price against the strike, book levels with random sizes, a trade
/// every few seconds with a UUID, lifecycle and settlement lines each quarter — then compresses it with the
/// daemon's <see cref="DayCompressor"/> and prints both sizes, the ratio and the time (the README's figure).
/// </summary>
public static class RealShapedDay
{
    public static int Run(string[] args)
    {
        var folder = args.Length > 1 ? args[1] : "archive-data";
        var depth = args.Length > 3 && args[2] == "--book-depth" ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "kxbtc15m-2026-11-21.jsonl");
        var lines = Write(path, new DateTime(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc), depth, new Random(20261121));
        var plain = new FileInfo(path).Length;
        var clock = Stopwatch.StartNew();
        new DayCompressor(TimeProvider.System, 0).Compress(path, CancellationToken.None);
        var packed = new FileInfo(path + ".gz").Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"BOOK_DEPTH={depth}: {lines:N0} lines, {plain / 1e6:F1} MB plain, {packed / 1e6:F1} MB gz, ratio {plain / (double)packed:F1}x, compressed and checked in {clock.Elapsed.TotalSeconds:F1} s (unthrottled)"));
        return 0;
    }

    private static long Write(string path, DateTime day, int depth, Random random)
    {
        var c = CultureInfo.InvariantCulture;
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        var btc = 98_000m;
        long lines = 0;
        var strike = btc;
        decimal? previousStrike = null;
        for (var s = 0; s < 86_400; s++)
        {
            var ts = day.AddSeconds(s).AddMilliseconds(1 + random.Next(4));
            btc += (decimal)Math.Round(NextGaussian(random) * 6, 2);
            if (s % 900 == 0)
            {
                previousStrike = strike;
                strike = btc;
            }

            decimal? coinbase = random.Next(2000) == 0 ? null : Math.Round(btc + (decimal)(NextGaussian(random) * 3), 2) + (random.Next(2) == 0 ? 0.005m : 0);
            decimal? kraken = random.Next(1500) == 0 ? null : Math.Round(btc + (decimal)(NextGaussian(random) * 4), 1) + 0.05m;
            decimal? bitstamp = random.Next(1000) == 0 ? null : Math.Round(btc + (decimal)(NextGaussian(random) * 5), 0);
            var mids = new[] { coinbase, kraken, bitstamp }.Where(m => m is not null).Select(m => m!.Value).Order().ToArray();
            decimal? brti = mids.Length == 0 ? null : Math.Round(mids.Length == 2 ? (mids[0] + mids[1]) / 2 : mids[mids.Length / 2], 2, MidpointRounding.AwayFromZero);

            var quarter = day.AddSeconds(s - (s % 900));
            var sb = new StringBuilder(4096);
            sb.Append(c, $"{{\"type\":\"tick\",\"ts\":\"{ts:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\",\"brti\":{Num(brti)},\"coinbase\":{Num(coinbase)},\"kraken\":{Num(kraken)},\"bitstamp\":{Num(bitstamp)},\"markets\":[");

            // The market closed at the quarter's start stays in the tick for ~15 s until its result, beside the live one.
            if (s % 900 < 15 && previousStrike is { } closedStrike)
            {
                Market(sb, quarter, closedStrike, btc, 0, "closed", null, random, depth);
                sb.Append(',');
            }

            Market(sb, quarter.AddMinutes(15), strike, btc, 900 - (s % 900), "active", depth, random, depth);
            sb.Append("]}");
            writer.WriteLine(sb.ToString());
            lines++;

            var ticker = $"KXBTC15M-{quarter.AddMinutes(15):yyMMMddHHmm}-{quarter.AddMinutes(15):mm}".ToUpperInvariant();
            for (var t = random.Next(3) == 0 ? 1 : 0; t > 0; t--)
            {
                var price = Math.Clamp(50 + (int)((btc - strike) / 3), 1, 99);
                writer.WriteLine(string.Create(c, $"{{\"type\":\"trade\",\"ts\":\"{ts.AddMilliseconds(random.Next(900)):yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\",\"ticker\":\"{ticker}\",\"trade_id\":\"{Guid.NewGuid()}\",\"yes_price\":{price},\"no_price\":{100 - price},\"count\":{random.Next(1, 500)},\"taker_side\":\"{(random.Next(2) == 0 ? "yes" : "no")}\"}}"));
                lines++;
            }

            if (s % 900 == 3 && previousStrike is not null)
            {
                var closed = $"KXBTC15M-{quarter:yyMMMddHHmm}-{quarter:mm}".ToUpperInvariant();
                writer.WriteLine(string.Create(c, $"{{\"type\":\"lifecycle\",\"ts\":\"{ts:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\",\"ticker\":\"{closed}\",\"event\":\"determined\",\"result\":\"yes\",\"settlement_value\":{btc},\"determined_time\":\"{quarter.AddSeconds(2):yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\"}}"));
                writer.WriteLine(string.Create(c, $"{{\"type\":\"settlement\",\"ts\":\"{ts.AddSeconds(8):yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\",\"ticker\":\"{closed}\",\"close_time\":\"{quarter:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\",\"result\":\"yes\",\"expiration_value\":{btc},\"strike\":{previousStrike},\"brti_avg60\":{btc - 0.37m},\"brti_samples\":60}}"));
                lines += 2;
            }
        }

        return lines;
    }

    private static void Market(StringBuilder sb, DateTime close, decimal strike, decimal btc, int secsLeft, string status, int? books, Random random, int depth)
    {
        var c = CultureInfo.InvariantCulture;
        var ticker = $"KXBTC15M-{close:yyMMMddHHmm}-{close:mm}".ToUpperInvariant();
        var bid = Math.Clamp(Math.Round(50 + ((btc - strike) / 4) + (decimal)NextGaussian(random), 0), 1, 98);
        var ask = bid + (random.Next(4) == 0 ? 2 : 1);
        sb.Append(c, $"{{\"ticker\":\"{ticker}\",\"status\":\"{status}\",\"yes_bid\":{bid},\"yes_ask\":{ask},\"no_bid\":{100 - ask},\"no_ask\":{100 - bid},\"last_price\":{bid},");
        sb.Append(c, $"\"volume\":{random.Next(10_000, 2_000_000)},\"open_interest\":{random.Next(5_000, 500_000)},\"strike\":{strike},\"secs_left\":{secsLeft},\"age_ms\":{random.Next(1000)},\"src\":\"ws\"");
        if (depth > 0)
        {
            if (books is null)
            {
                sb.Append(",\"yes_book\":null,\"no_book\":null");
            }
            else
            {
                sb.Append(",\"yes_book\":");
                Book(sb, bid, depth, random);
                sb.Append(",\"no_book\":");
                Book(sb, 100 - ask, depth, random);
            }
        }

        sb.Append('}');
    }

    private static void Book(StringBuilder sb, decimal best, int depth, Random random)
    {
        sb.Append('[');
        for (var level = 0; level < depth && best - level >= 1; level++)
        {
            sb.Append(level > 0 ? ",[" : "[").Append((best - level).ToString(CultureInfo.InvariantCulture)).Append(',').Append(random.Next(1, 25_000).ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        sb.Append(']');
    }

    private static string Num(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";

    private static double NextGaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
