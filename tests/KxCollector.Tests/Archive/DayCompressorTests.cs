using Microsoft.Extensions.Time.Testing;
using System.Text;
using KxCollector.Archive;
using KxCollector.Tests.Export;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using KxCollector.Recording;

namespace KxCollector.Tests.Archive;

public sealed class DayCompressorTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 3, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Now);

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Steps() => new(Enum.GetNames<CompressionStep>());

    [Theory]
    [MemberData(nameof(Steps))]
    public void A_crash_at_any_step_leaves_one_complete_copy_and_the_next_run_finishes(string step)
    {
        var crashAfter = Enum.Parse<CompressionStep>(step);
        var plain = WriteDay("kxbtc15m-2026-11-21.jsonl");
        var original = File.ReadAllBytes(plain);
        var crashing = new DayCompressor(_time, 0, reached =>
        {
            if (reached == crashAfter)
            {
                throw new SimulatedCrash();
            }
        });

        var crash = () => crashing.Compress(plain, CancellationToken.None);

        crash.Should().Throw<SimulatedCrash>();
        // What every reader sees after the crash: one day, whole.
        ReadThroughReaders(plain).Should().Equal(original);
        DayFiles.List(_dir.Path, "*").Should().ContainSingle();

        // The next sweep (the restarted daemon) finishes the job.
        new ArchiveSweep(_dir.Path, null, new DayCompressor(_time, 0), _time, NullLogger.Instance).Run(CancellationToken.None);

        File.Exists(plain).Should().BeFalse();
        Directory.EnumerateFiles(_dir.Path).Select(Path.GetFileName).Should().Equal("kxbtc15m-2026-11-21.jsonl.gz");
        ReadThroughReaders(plain).Should().Equal(original);
    }

    [Fact]
    public void A_plain_file_that_differs_from_its_gz_is_never_removed()
    {
        var plain = WriteDay("kxbtc15m-2026-11-21.jsonl");
        new DayCompressor(_time, 0).Compress(plain, CancellationToken.None);
        File.WriteAllText(plain, "{\"type\":\"trade\",\"ts\":\"2026-11-21T23:59:59.900Z\"}\n");

        new DayCompressor(_time, 0).Compress(plain, CancellationToken.None).Should().Be(CompressionOutcome.Differs);

        File.Exists(plain).Should().BeTrue();
        File.Exists(plain + ".gz").Should().BeTrue();
    }

    [Fact]
    public void A_truncated_gz_is_an_error_for_readers_not_a_shorter_day()
    {
        var plain = WriteDay("kxbtc15m-2026-11-21.jsonl");
        new DayCompressor(_time, 0).Compress(plain, CancellationToken.None);
        var gz = plain + ".gz";
        var bytes = File.ReadAllBytes(gz);
        File.WriteAllBytes(gz, bytes[..(bytes.Length - 100)]);

        var read = () => ReadThroughReaders(plain);

        read.Should().Throw<InvalidDataException>().WithMessage("*truncated or corrupt*");
    }

    private byte[] ReadThroughReaders(string plain)
    {
        using var stream = DayFiles.OpenRead(DayFiles.Locate(plain)!);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private string WriteDay(string name)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, string.Join("\n", ExportDay.RecordedLines(600)) + "\n", new UTF8Encoding(false));
        File.SetLastWriteTimeUtc(path, Now.UtcDateTime.AddHours(-2));
        return path;
    }

    private sealed class SimulatedCrash : Exception;
}
