using Microsoft.Extensions.Time.Testing;
using KxCollector.Archive;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace KxCollector.Tests.Archive;

public sealed class ArchiveSweepTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Finished_days_are_compressed_and_today_and_a_just_ended_day_are_not()
    {
        var now = new DateTimeOffset(2026, 11, 23, 0, 10, 0, TimeSpan.Zero);
        Write("kxbtc15m-2026-11-21.jsonl", now.AddHours(-24));
        Write("kxbtc15m-2026-11-22.jsonl", now.AddMinutes(-20));
        Write("kxbtc15m-2026-11-23.jsonl", now);
        Write("kxnflgame-2026-11-20.jsonl", now.AddDays(-2));
        Write("status.json", now.AddDays(-3));

        Sweep(now, retention: null);

        Names().Should().BeEquivalentTo(
            "kxbtc15m-2026-11-21.jsonl.gz", "kxbtc15m-2026-11-22.jsonl", "kxbtc15m-2026-11-23.jsonl", "kxnflgame-2026-11-20.jsonl.gz", "status.json");

        // 2026-11-22 ended 10 minutes ago: within the settle time the writer may still append a late record to it.
        Sweep(now.AddMinutes(20), retention: null);
        Names().Should().Contain("kxbtc15m-2026-11-22.jsonl.gz").And.Contain("kxbtc15m-2026-11-23.jsonl");
    }

    [Fact]
    public void A_day_file_written_to_recently_waits_even_if_its_day_is_long_over()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        Write("kxbtc15m-2026-11-21.jsonl", now.AddMinutes(-1));

        Sweep(now, retention: null);

        Names().Should().Equal("kxbtc15m-2026-11-21.jsonl");
    }

    [Fact]
    public void Retention_removes_compressed_days_older_than_it_and_nothing_else()
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        Write("kxbtc15m-2026-11-19.jsonl.gz", now.AddDays(-10));
        Write("kxbtc15m-2026-11-20.jsonl.gz", now.AddDays(-10));
        Write("kxbtc15m-2026-11-21.jsonl.gz", now.AddDays(-9));
        Write("kxbtc15m-2026-11-18.jsonl", now.AddMinutes(-1));
        Directory.CreateDirectory(_dir.Combine("backfill", "KXBTC15M"));
        File.WriteAllText(_dir.Combine("backfill", "KXBTC15M", "kxbtc15m-trades-2026-10-01.jsonl"), "{}\n");

        Sweep(now, retention: 10);

        // 2026-11-30 minus 10 days is 2026-11-20: that day and newer are kept.
        Names().Should().BeEquivalentTo("kxbtc15m-2026-11-20.jsonl.gz", "kxbtc15m-2026-11-21.jsonl.gz", "kxbtc15m-2026-11-18.jsonl");
        File.Exists(_dir.Combine("backfill", "KXBTC15M", "kxbtc15m-trades-2026-10-01.jsonl")).Should().BeTrue("backfill files are never compressed or removed");
    }

    [Fact]
    public void A_crashed_compression_s_temporary_is_removed()
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        File.WriteAllText(_dir.Combine(".kxbtc15m-2026-11-21.jsonl.gz.partial"), "half");

        Sweep(now, retention: null);

        Directory.EnumerateFiles(_dir.Path).Should().BeEmpty();
    }

    private void Sweep(DateTimeOffset now, int? retention)
    {
        var time = new FakeTimeProvider(now);
        new ArchiveSweep(_dir.Path, retention, new DayCompressor(time, 0), time, NullLogger.Instance).Run(CancellationToken.None);
    }

    private void Write(string name, DateTimeOffset modified)
    {
        var path = _dir.Combine(name);
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var gz = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest);
            gz.Write("{\"type\":\"tick\"}\n"u8);
        }
        else
        {
            File.WriteAllText(path, "{\"type\":\"tick\",\"ts\":\"2026-11-21T00:00:00.001Z\"}\n");
        }

        File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
    }

    private List<string> Names() => Directory.EnumerateFiles(_dir.Path).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToList();
}
