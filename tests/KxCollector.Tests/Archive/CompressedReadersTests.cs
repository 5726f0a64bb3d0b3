using System.Text;
using KxCollector.Archive;
using KxCollector.Backfill;
using KxCollector.Kalshi.Settlements;
using KxCollector.SettlementReport;
using KxCollector.Status;
using KxCollector.Tests.Export;
using KxCollector.Tests.Support;
using KxCollector.Pricing;
using KxCollector.Recording;

namespace KxCollector.Tests.Archive;

/// <summary>Each reader of the data files, given a day that was compressed, reads it as it read the plain file.</summary>
public sealed class CompressedReadersTests : IDisposable
{
    private static readonly DateTimeOffset Close = new(2026, 11, 21, 19, 1, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly string _plain;

    public CompressedReadersTests()
    {
        _plain = _dir.Combine("kxbtc15m-2026-11-21.jsonl");
        File.WriteAllText(_plain, string.Join("\n", ExportDay.RecordedLines(120)) + "\n", new UTF8Encoding(false));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Settlement_recovery_sums_the_same_window_and_finds_the_same_settlement_in_the_gz()
    {
        var window = BrtiWindow.BeforeClose(Close);
        var plainSum = DataFileScanner.SumBrti(_dir.Path, "kxbtc15m", window);
        var plainFound = DataFileScanner.ContainsSettlement(_plain, "KXBTC15M-26NOV211915-15");

        Compress();

        plainSum.Count.Should().BeGreaterThan(50);
        DataFileScanner.SumBrti(_dir.Path, "kxbtc15m", window).Should().Be(plainSum);
        plainFound.Should().BeTrue();
        DataFileScanner.ContainsSettlement(_plain, "KXBTC15M-26NOV211915-15").Should().BeTrue();
        DataFileScanner.ContainsSettlement(_plain, "KXBTC15M-NOT-THERE").Should().BeFalse();
    }

    [Fact]
    public void The_official_window_sums_the_same_index_prints_from_the_gz()
    {
        var window = BrtiWindow.BeforeClose(Close);
        var plainSum = DataFileScanner.SumIndex(_dir.Path, "kxbtc15m", "BRTI", window);

        Compress();

        plainSum.Count.Should().Be(6, "the day has an index line every 10 s and the window is the minute before close");
        DataFileScanner.SumIndex(_dir.Path, "kxbtc15m", "BRTI", window).Should().Be(plainSum);
    }

    [Fact]
    public void The_settlements_verb_reads_the_gz_and_a_truncated_one_is_an_error()
    {
        var plainRows = SettlementFileReader.Read([_plain]);

        Compress();
        var gz = _plain + ".gz";

        plainRows.Should().HaveCount(2);
        SettlementFileReader.Read([gz]).Should().BeEquivalentTo(plainRows);
        var bytes = File.ReadAllBytes(gz);
        File.WriteAllBytes(gz, bytes[..(bytes.Length * 2 / 3)]);
        FluentActions.Invoking(() => SettlementFileReader.Read([gz])).Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void Gap_filling_finds_the_last_tick_in_yesterday_s_gz()
    {
        var plainLast = Downtime.FindLastTick(_dir.Path, "kxbtc15m");

        Compress();

        plainLast.Should().Be(new DateTimeOffset(2026, 11, 21, 19, 1, 59, 1, TimeSpan.Zero));
        Downtime.FindLastTick(_dir.Path, "kxbtc15m").Should().Be(plainLast);
    }

    [Fact]
    public void Status_counts_a_compressed_day_like_the_plain_one()
    {
        var plainFacts = new DayFileScanner().Scan(_plain, new DateOnly(2026, 11, 21));

        Compress();
        var facts = new DayFileScanner().Scan(_plain, new DateOnly(2026, 11, 21));

        facts.Exists.Should().BeTrue();
        (facts.Lines, facts.Ticks, facts.FirstTickAt, facts.LastTickAt).Should().Be((plainFacts.Lines, plainFacts.Ticks, plainFacts.FirstTickAt, plainFacts.LastTickAt));
        facts.Ticks.Should().Be(120);
    }

    private void Compress()
    {
        new DayCompressor(TimeProvider.System, 0).Compress(_plain, CancellationToken.None).Should().Be(CompressionOutcome.Compressed);
        File.Exists(_plain).Should().BeFalse();
    }
}
