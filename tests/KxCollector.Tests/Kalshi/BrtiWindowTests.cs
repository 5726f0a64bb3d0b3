using KxCollector.Records;
using System.Globalization;
using System.Text;
using KxCollector.Kalshi.Settlements;
using KxCollector.Recording;
using KxCollector.Tests.Support;
using KxCollector.Pricing;

namespace KxCollector.Tests.Kalshi;

public sealed class BrtiWindowTests
{
    private static readonly DateTimeOffset Close = new(2026, 7, 23, 3, 15, 0, TimeSpan.Zero);

    [Fact]
    public void Window_is_the_sixty_seconds_close_minus_60_to_close_minus_1()
    {
        var window = BrtiWindow.BeforeClose(Close);

        window.FromSecond.Should().Be(Close.ToUnixTimeSeconds() - 60);
        window.ToSecond.Should().Be(Close.ToUnixTimeSeconds() - 1);
    }

    [Fact]
    public void History_includes_close_minus_60_and_excludes_close_and_close_minus_61()
    {
        var history = new BrtiHistory();
        history.Record(Close.AddSeconds(-61).AddMilliseconds(1), 1_000_000m);
        for (var s = -60; s <= -1; s++)
        {
            history.Record(Close.AddSeconds(s).AddMilliseconds(1), 100m + s);
        }

        history.Record(Close.AddMilliseconds(1), 2_000_000m);

        var sum = history.TrySum(BrtiWindow.BeforeClose(Close));

        sum.Should().NotBeNull();
        sum!.Value.Count.Should().Be(60);
        sum.Value.Sum.Should().Be(Enumerable.Range(-60, 60).Sum(s => 100m + s));
        sum.Value.Average.Should().Be(69.50m);
    }

    [Fact]
    public void Null_brti_ticks_are_not_samples()
    {
        var history = new BrtiHistory();
        for (var s = -61; s <= 0; s++)
        {
            history.Record(Close.AddSeconds(s).AddMilliseconds(1), s % 2 == 0 ? 65000m : null);
        }

        history.TrySum(BrtiWindow.BeforeClose(Close))!.Value.Count.Should().Be(30);
    }

    [Fact]
    public void History_that_began_inside_the_window_cannot_answer()
    {
        var history = new BrtiHistory();
        for (var s = -59; s <= 0; s++)
        {
            history.Record(Close.AddSeconds(s).AddMilliseconds(1), 65000m);
        }

        history.TrySum(BrtiWindow.BeforeClose(Close)).Should().BeNull();
    }

    [Fact]
    public void History_that_has_wrapped_past_the_window_cannot_answer()
    {
        var history = new BrtiHistory();
        history.Record(Close.AddSeconds(-120), 1m);
        history.Record(Close.AddSeconds(BrtiHistory.Capacity), 1m);

        history.TrySum(BrtiWindow.BeforeClose(Close)).Should().BeNull();
    }

    [Theory]
    [InlineData("65771.2", "65771.20")]
    [InlineData("65771", "65771.00")]
    [InlineData("100.005", "100.01")]
    [InlineData("100.00499", "100.00")]
    public void Average_is_rounded_half_up_and_written_with_two_decimals(string mean, string expected)
    {
        var sum = new BrtiSum(decimal.Parse(mean, CultureInfo.InvariantCulture), 1);

        sum.Average!.Value.ToString(CultureInfo.InvariantCulture).Should().Be(expected);
    }

    [Fact]
    public void Average_of_no_samples_is_null()
    {
        default(BrtiSum).Average.Should().BeNull();
    }

    [Fact]
    public void Data_files_give_the_same_window_even_across_midnight_and_in_a_large_file()
    {
        using var dir = new TempDirectory();
        var close = new DateTimeOffset(2026, 7, 24, 0, 0, 30, TimeSpan.Zero);

        // Two hours of ticks (~1 MB per file with the padding), so the file search has to bisect.
        var start = close.AddHours(-2);
        var padding = new string('x', 400);
        var expected = default(BrtiSum);
        var window = BrtiWindow.BeforeClose(close);
        var linesByDate = new Dictionary<DateOnly, StringBuilder>();
        for (var t = start; t < close.AddMinutes(30); t = t.AddSeconds(1))
        {
            var second = t.ToUnixTimeSeconds();
            decimal? brti = second % 7 == 0 ? null : 60000m + (second % 1000) / 100m;
            var ts = t.AddMilliseconds(1);
            var line = $"{{\"type\":\"tick\",\"ts\":\"{JsonTimestamps.ToText(ts)}\",\"brti\":{(brti is { } b ? b.ToString(CultureInfo.InvariantCulture) : "null")},\"coinbase\":null,\"kraken\":null,\"bitstamp\":null,\"markets\":[{{\"ticker\":\"{padding}\"}}]}}";
            var date = DateOnly.FromDateTime(ts.UtcDateTime);
            (linesByDate.TryGetValue(date, out var sb) ? sb : linesByDate[date] = new StringBuilder()).Append(line).Append('\n');
            if (second % 600 == 0)
            {
                linesByDate[date].Append("{\"type\":\"settlement\",\"ts\":\"").Append(JsonTimestamps.ToText(ts)).Append("\",\"ticker\":\"X\"}\n");
            }

            if (window.Contains(second) && brti is { } v)
            {
                expected = expected.Add(v);
            }
        }

        foreach (var (date, text) in linesByDate)
        {
            File.WriteAllText(Path.Combine(dir.Path, DayFileName.Of("kxbtc15m", date)), text.ToString());
        }

        var sum = DataFileScanner.SumBrti(dir.Path, "kxbtc15m", window);

        sum.Should().Be(expected);
        expected.Count.Should().BeInRange(50, 59);
    }

    [Fact]
    public void Scanner_finds_a_settlement_line_by_ticker_only_in_settlement_lines()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("f.jsonl");
        File.WriteAllText(path,
            "{\"type\":\"tick\",\"ts\":\"2026-07-23T03:15:00.001Z\",\"brti\":1,\"markets\":[{\"ticker\":\"KXBTC15M-A\",\"status\":\"closed\"}]}\n" +
            "{\"type\":\"settlement\",\"ts\":\"2026-07-23T03:15:12.001Z\",\"ticker\":\"KXBTC15M-B\",\"close_time\":\"2026-07-23T03:15:00.000Z\"}\n");

        DataFileScanner.ContainsSettlement(path, "KXBTC15M-B").Should().BeTrue();
        DataFileScanner.ContainsSettlement(path, "KXBTC15M-A").Should().BeFalse();
        DataFileScanner.ContainsSettlement(dir.Combine("missing.jsonl"), "KXBTC15M-B").Should().BeFalse();
    }
}
