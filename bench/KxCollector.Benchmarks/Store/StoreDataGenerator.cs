using System.Globalization;
using System.Text;

namespace KxCollector.Benchmarks.Store;

/// <summary>
/// `store-data FOLDER --rows N`: writes daily KXBTC15M files of one tick a second (4 markets with books: 9 rows a
/// tick) and a trade every 10 s, until about N database rows — history for the `db import` figure.
/// </summary>
public static class StoreDataGenerator
{
    public static int Run(string[] args)
    {
        var folder = args.Length > 1 ? args[1] : throw new ArgumentException("usage: store-data FOLDER [--rows N]");
        var rows = args.Length > 3 && args[2] == "--rows" ? long.Parse(args[3], CultureInfo.InvariantCulture) : 1_000_000;
        Directory.CreateDirectory(folder);
        var start = new DateTime(2026, 10, 1, 0, 0, 0, 1, DateTimeKind.Utc);
        long written = 0;
        long lines = 0;
        StreamWriter? file = null;
        var day = DateOnly.MinValue;
        try
        {
            for (var i = 0L; written < rows; i++)
            {
                var ts = start.AddSeconds(i);
                if (DateOnly.FromDateTime(ts) != day)
                {
                    file?.Dispose();
                    day = DateOnly.FromDateTime(ts);
                    file = new StreamWriter(Path.Combine(folder, $"kxbtc15m-{day:yyyy-MM-dd}.jsonl"), append: false, new UTF8Encoding(false), 1 << 20);
                }

                file!.Write(SyntheticJsonl.TickLine(ts, markets: 4, withBooks: true, seed: (int)(i % 1000)));
                file.Write('\n');
                written += 9;
                lines++;
                if (i % 10 == 0)
                {
                    file.Write(SyntheticJsonl.TradeLine(ts.AddMilliseconds(300), "KXBTC15M-X", i));
                    file.Write('\n');
                    written++;
                    lines++;
                }
            }
        }
        finally
        {
            file?.Dispose();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store-data: {lines:N0} lines, {written:N0} rows in {folder}"));
        return 0;
    }
}
