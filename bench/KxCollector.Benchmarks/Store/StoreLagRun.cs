using System.Diagnostics;
using System.Globalization;
using System.Text;
using KxCollector.Store;
using KxCollector.Store.Health;
using KxCollector.Store.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using KxCollector.Configuration;

namespace KxCollector.Benchmarks.Store;

/// <summary>
/// `store-lag [--seconds 60] [--series 5] [--markets 20] [--rate 1] [--trades 0]`: the live store (StoreService,
/// default batch size and flush interval) following files that several writers append ticks to (and, with --trades,
/// that many trade lines a second in all, spread over the files between the ticks), against DATABASE_URL. Each tick's
/// "ts" is the moment it was appended; a poller sees when it becomes visible in the database, every 50 ms.
/// Prints the lag distribution (append → committed and visible), so its resolution is about 50 ms.
/// </summary>
public static class StoreLagRun
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Arg(args, "--seconds", 60);
        var seriesCount = Arg(args, "--series", 5);
        var markets = Arg(args, "--markets", 20);
        var rate = Arg(args, "--rate", 1);
        var tradesPerSeries = Arg(args, "--trades", 0) / seriesCount;
        var url = Environment.GetEnvironmentVariable("DATABASE_URL") ?? throw new InvalidOperationException("set DATABASE_URL");
        var folder = Path.Combine(Path.GetTempPath(), "kxlag-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var time = TimeProvider.System;
        var target = DatabaseUrl.Parse(url);
        var options = new StoreOptions
        {
            Target = target,
            CollectorId = "bench-lag-" + Guid.NewGuid().ToString("N")[..6],
            BatchSize = StoreOptions.DefaultBatchSize,
            FlushInterval = StoreOptions.DefaultFlushInterval,
        };
        var stats = new StoreStats();
        using var service = new StoreService(options, folder, time, stats, new Outbox<LogRow>(100), new Outbox<HealthRow>(10), NullLogger<StoreService>.Instance);
        await service.StartAsync(CancellationToken.None);

        var series = Enumerable.Range(1, seriesCount).Select(s => $"KXLAG{s}X{options.CollectorId[^6..].ToUpperInvariant()}").ToArray();
        var written = series.ToDictionary(s => s, _ => new List<DateTime>());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var writers = series.Select(s => WriteAsync(folder, s, markets, rate, tradesPerSeries, written[s], time, stop.Token)).ToArray();

        var lags = new List<double>();
        var seen = series.ToDictionary(s => s, _ => 0);
        await using var source = target.CreateDataSource();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var writing = !writers.All(w => w.IsCompleted);
            await Task.Delay(PollEvery);
            var visibleAt = time.GetUtcNow().UtcDateTime;
            var newest = await NewestAsync(source, series);
            foreach (var s in series)
            {
                List<DateTime> ticks;
                lock (written[s])
                {
                    ticks = [.. written[s]];
                }

                while (seen[s] < ticks.Count && newest.TryGetValue(s, out var max) && ticks[seen[s]] <= max)
                {
                    lags.Add((visibleAt - ticks[seen[s]]).TotalMilliseconds);
                    seen[s]++;
                }
            }

            if (!writing && series.All(s => seen[s] == written[s].Count))
            {
                break;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(seconds + 120))
            {
                throw new TimeoutException("the store did not catch up within 2 minutes of the end");
            }
        }

        await service.StopAsync(CancellationToken.None);
        Directory.Delete(folder, recursive: true);
        lags.Sort();
        var c = CultureInfo.InvariantCulture;
        var rowsPerSecond = (seriesCount * rate * (1 + (2 * markets))) + (seriesCount * tradesPerSeries);
        var linesPerSecond = seriesCount * (rate + tradesPerSeries);
        Console.WriteLine(string.Create(c, $"live lag: {lags.Count:N0} ticks of {markets} markets with books from {seriesCount} files, {seriesCount * tradesPerSeries} trades/s ({linesPerSecond} lines/s, {rowsPerSecond:N0} rows/s offered) over {seconds} s"));
        Console.WriteLine(string.Create(c, $"live lag (append -> visible in the database, +-50 ms): p50 {P(lags, 0.50):F0} ms, p95 {P(lags, 0.95):F0} ms, p99 {P(lags, 0.99):F0} ms, max {lags[^1]:F0} ms; {stats.Flushes} transactions, {stats.RowsInserted:N0} rows"));
        return 0;
    }

    private static async Task WriteAsync(string folder, string series, int markets, int rate, int trades, List<DateTime> written, TimeProvider time, CancellationToken ct)
    {
        var path = Path.Combine(folder, $"{series.ToLowerInvariant()}-{time.GetUtcNow():yyyy-MM-dd}.jsonl");
        await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);

        // Each wake writes one line: a tick every (trades / rate + 1)-th, trades in between.
        var linesPerTick = (trades / rate) + 1;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / (rate * linesPerTick)), time);
        var wake = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                // Truncated to the millisecond, as the recorder writes it, so the database value compares equal.
                var now = time.GetUtcNow().UtcDateTime;
                var ts = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
                if (wake++ % linesPerTick != 0)
                {
                    await file.WriteAsync(Encoding.UTF8.GetBytes(SyntheticJsonl.TradeLine(ts, $"{series}-T", wake) + "\n"), CancellationToken.None);
                    continue;
                }

                var line = Encoding.UTF8.GetBytes(SyntheticJsonl.TickLine(ts, markets, withBooks: true, series: series) + "\n");
                lock (written)
                {
                    written.Add(ts);
                }

                await file.WriteAsync(line, CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<Dictionary<string, DateTime>> NewestAsync(NpgsqlDataSource source, string[] series)
    {
        var newest = new Dictionary<string, DateTime>();
        try
        {
            await using var command = source.CreateCommand("SELECT series_ticker, max(timestamp) FROM index_ticks WHERE series_ticker = ANY($1) GROUP BY 1");
            command.Parameters.Add(new NpgsqlParameter { Value = series });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                newest[reader.GetString(0)] = reader.GetDateTime(1);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The store has not migrated yet.
        }

        return newest;
    }

    private static double P(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
