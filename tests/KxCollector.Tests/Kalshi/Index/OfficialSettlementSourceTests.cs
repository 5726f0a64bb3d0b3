using Microsoft.Extensions.Time.Testing;
using KxCollector.Kalshi.Index;
using KxCollector.Recording;
using KxCollector.Tests.Support;
using KxCollector.Pricing;

namespace KxCollector.Tests.Kalshi.Index;

/// <summary>The official window mean from memory and, after a restart, from the recorded index lines: the same figure.</summary>
public sealed class OfficialSettlementSourceTests : IDisposable
{
    private static readonly DateTimeOffset Close = new(2026, 11, 21, 17, 15, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_window_is_close_minus_60_to_close_minus_1_from_memory_or_from_the_files_and_Kalshi_s_average_is_kept_by_close()
    {
        var time = new FakeTimeProvider(Close.AddMinutes(-2));
        var board = new OfficialIndexBoard(["BRTI"]);
        var closeSecond = Close.ToUnixTimeSeconds();
        using (var writer = new DailyJsonlWriter(_dir.Path, "kxbtc15m", time, new AppendOnlyFileOpener(Microsoft.Extensions.Logging.Abstractions.NullLogger<AppendOnlyFile>.Instance), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
        {
            var recorder = new IndexRecorder(board, [new IndexSeries("KXBTC15M", "kxbtc15m", "BRTI", writer)], _dir.Path, time.GetUtcNow());

            // Prints close-70 … close: the first 10 and the one at close itself are outside the window; close-30 is missing.
            for (var s = closeSecond - 70; s <= closeSecond; s++)
            {
                if (s == closeSecond - 30)
                {
                    continue;
                }

                var average = s > closeSecond - 60 ? new KalshiWindowAverage(100.5m + s - closeSecond, (int)(s - closeSecond + 60), ((closeSecond - 60) * 1000) + 1, (s * 1000) + 1) : null;
                recorder.Record(new IndexFrame(new IndexPrint("BRTI", s * 1000, Value(s - closeSecond), (s * 1000) + 300), average), time.GetUtcNow());
            }
        }

        // Values 100.00 + k·0.01 for k = -60 … -1 without k = -30, one moved by -0.585: the 59 sum to 5881.415, a mean of
        // exactly 99.685, which rounds half up to 99.69 (banker's rounding would give 99.68).
        var fromMemory = new OfficialSettlementSource(board, "BRTI", _dir.Path, "kxbtc15m").Compute(Close);
        fromMemory.Official.Count.Should().Be(59);
        fromMemory.Official.Average.Should().Be(99.69m);
        fromMemory.Kalshi.Should().Be(new KalshiWindowAverage(100.5m, 60, ((closeSecond - 60) * 1000) + 1, (closeSecond * 1000) + 1), "the last one received for that close");

        var afterRestart = new OfficialSettlementSource(new OfficialIndexBoard(["BRTI"]), "BRTI", _dir.Path, "kxbtc15m").Compute(Close);
        afterRestart.Official.Should().Be(fromMemory.Official, "a new process reads the window from the index lines");
        afterRestart.Kalshi.Should().BeNull("Kalshi's average is not in the files");
    }

    private static decimal Value(long offset) => 100.00m + (offset * 0.01m) + (offset == -45 ? -0.585m : 0m);
}
