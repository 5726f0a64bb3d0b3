using System.Text;
using KxCollector.Backfill;
using KxCollector.Kalshi;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace KxCollector.Tests.Recording;

/// <summary>
/// The two state files, byte for byte as the collector has always written them (golden texts taken from the writers
/// before they moved to source-generated serialization), read back from those same bytes, and replaced atomically.
/// </summary>
public sealed class StateFileFormatTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 17, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string KalshiGolden = """
        {
          "version": 1,
          "watermark": "2026-11-21T17:00:00.250Z",
          "tracked": [
            {
              "ticker": "KXBTC15M-26NOV211715-15",
              "close_time": "2026-11-21T17:15:00.000Z"
            },
            {
              "ticker": "KXBTC15M-26NOV211730-30",
              "close_time": null
            }
          ],
          "written": [],
          "in_flight": [
            {
              "ticker": "KXBTC15M-26NOV211700-00",
              "ts": "2026-11-21T17:00:01.000Z"
            }
          ]
        }
        """;

    private const string GapsGolden = """
        {
          "gaps": [
            {
              "from": "2026-11-21T16:00:00.000Z",
              "to": "2026-11-21T16:30:00.000Z"
            },
            {
              "from": "2026-11-21T17:00:00.000Z",
              "to": "2026-11-21T17:05:00.500Z"
            }
          ]
        }
        """;

    [Fact]
    public void The_Kalshi_state_file_is_written_byte_for_byte_as_before()
    {
        var state = KalshiStateFile.Load(_dir.Path, "kxbtc15m", NullLogger.Instance);
        state.Watermark = T0.AddMilliseconds(250);
        state.Tracked["KXBTC15M-26NOV211730-30"] = null;
        state.Tracked["KXBTC15M-26NOV211715-15"] = T0.AddMinutes(15);
        state.InFlight["KXBTC15M-26NOV211700-00"] = T0.AddSeconds(1);

        state.Save().Should().BeTrue();

        Encoding.UTF8.GetString(File.ReadAllBytes(_dir.Combine(".kxcollector-kalshi-kxbtc15m.json"))).Should().Be(Normalize(KalshiGolden));
        File.Exists(_dir.Combine(".kxcollector-kalshi-kxbtc15m.json.tmp")).Should().BeFalse("the temp file is renamed over the state");
    }

    [Fact]
    public void A_Kalshi_state_file_written_by_earlier_versions_is_read_back()
    {
        File.WriteAllText(_dir.Combine(".kxcollector-kalshi-kxbtc15m.json"), Normalize(KalshiGolden));

        var state = KalshiStateFile.Load(_dir.Path, "kxbtc15m", NullLogger.Instance);

        state.Watermark.Should().Be(T0.AddMilliseconds(250));
        state.Tracked.Should().BeEquivalentTo(new Dictionary<string, DateTimeOffset?>
        {
            ["KXBTC15M-26NOV211715-15"] = T0.AddMinutes(15),
            ["KXBTC15M-26NOV211730-30"] = null,
        });
        state.Written.Should().BeEmpty();
        state.InFlight.Should().Equal(new Dictionary<string, DateTimeOffset> { ["KXBTC15M-26NOV211700-00"] = T0.AddSeconds(1) });
        File.Exists(_dir.Combine(".kxcollector-kalshi-kxbtc15m.json.damaged")).Should().BeFalse();
    }

    [Fact]
    public void A_Kalshi_state_file_without_a_watermark_or_close_times_is_read_as_such()
    {
        File.WriteAllText(_dir.Combine(".kxcollector-kalshi-kxbtc15m.json"), """{"version":1,"tracked":[{"ticker":"A"}],"in_flight":[]}""");

        var state = KalshiStateFile.Load(_dir.Path, "kxbtc15m", NullLogger.Instance);

        state.Watermark.Should().BeNull();
        state.Tracked.Should().ContainKey("A").WhoseValue.Should().BeNull();
        state.Written.Should().BeEmpty();
    }

    [Fact]
    public void A_damaged_Kalshi_state_file_is_set_aside_and_the_state_starts_empty()
    {
        File.WriteAllText(_dir.Combine(".kxcollector-kalshi-kxbtc15m.json"), """{"version":1,"tracked":[{"ticker":"A","close_time":"not a time"}]}""");

        var state = KalshiStateFile.Load(_dir.Path, "kxbtc15m", NullLogger.Instance);

        state.Tracked.Should().BeEmpty();
        File.Exists(_dir.Combine(".kxcollector-kalshi-kxbtc15m.json.damaged")).Should().BeTrue();
    }

    [Fact]
    public void The_pending_gaps_file_is_written_byte_for_byte_as_before_and_read_back()
    {
        var gaps = PendingGaps.Load(_dir.Path, "kxbtc15m", NullLogger.Instance);
        gaps.Add(T0, T0.AddMinutes(5).AddMilliseconds(500));
        gaps.Add(T0.AddHours(-1), T0.AddMinutes(-30));

        gaps.Save().Should().BeTrue();

        var path = _dir.Combine(".kxcollector-gaps-kxbtc15m.json");
        Encoding.UTF8.GetString(File.ReadAllBytes(path)).Should().Be(Normalize(GapsGolden));
        PendingGaps.Load(_dir.Path, "kxbtc15m", NullLogger.Instance).Gaps.Should().Equal(
            (T0.AddHours(-1), T0.AddMinutes(-30)), (T0, T0.AddMinutes(5).AddMilliseconds(500)));
    }

    [Fact]
    public void A_damaged_pending_gaps_file_is_set_aside()
    {
        File.WriteAllText(_dir.Combine(".kxcollector-gaps-kxbtc15m.json"), """{"gaps":[{"from":"2026-11-21T16:00:00.000Z"}]}""");

        PendingGaps.Load(_dir.Path, "kxbtc15m", NullLogger.Instance).Gaps.Should().BeEmpty();

        File.Exists(_dir.Combine(".kxcollector-gaps-kxbtc15m.json.damaged")).Should().BeTrue();
    }

    /// <summary>The raw literal's line ends as the writer makes them (\n), whatever this file was checked out with.</summary>
    private static string Normalize(string text) => text.ReplaceLineEndings("\n");
}
