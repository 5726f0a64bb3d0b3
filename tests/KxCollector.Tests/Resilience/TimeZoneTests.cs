using System.Text.Json;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Resilience;

/// <summary>
/// The data is UTC whatever the machine's zone. Midnight rotation and wall-clock steps are driven with a manual
/// clock in TickServiceTests; here the real binary runs in a zone whose local date differs from the UTC date.
/// </summary>
public sealed class TimeZoneTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_file_date_and_timestamps_are_UTC_in_a_zone_whose_date_differs()
    {
        var utcNow = TimeProvider.System.GetUtcNow();

        // Etc/GMT+12 is UTC-12 (yesterday before noon UTC), Etc/GMT-14 is UTC+14 (tomorrow after 10:00 UTC).
        var zone = utcNow.Hour < 11 ? "Etc/GMT+12" : "Etc/GMT-14";
        var settings = OfflineSettings.For(_dir.Combine("data"), ("TZ", zone));
        using var process = CollectorProcess.Start(_dir.Path, settings);

        var file = await Poll.ForValueAsync(
            () => Directory.Exists(_dir.Combine("data"))
                ? Directory.EnumerateFiles(_dir.Combine("data"), "*.jsonl").FirstOrDefault(f => new FileInfo(f).Length > 0)
                : null,
            TimeSpan.FromSeconds(30),
            () => "a first tick; stderr: " + process.StandardError);
        process.SendSignal(CollectorProcess.SigTerm);
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);

        var ts = JsonDocument.Parse(File.ReadLines(file).First()).RootElement.GetProperty("ts").GetString()!;
        ts.Should().EndWith("Z");
        var tickTime = DateTimeOffset.Parse(ts, System.Globalization.CultureInfo.InvariantCulture);
        (tickTime - utcNow).Duration().Should().BeLessThan(TimeSpan.FromSeconds(30), "ts is UTC, not local time labelled Z");
        Path.GetFileName(file).Should().Be($"kxbtc15m-{tickTime.UtcDateTime:yyyy-MM-dd}.jsonl");
    }
}
