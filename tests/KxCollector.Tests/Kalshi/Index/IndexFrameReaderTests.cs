using System.Text;
using KxCollector.Kalshi.Index;
using KxCollector.Tests.Support;
using KxCollector.Pricing;

namespace KxCollector.Tests.Kalshi.Index;

public sealed class IndexFrameReaderTests
{
    private static readonly IReadOnlyList<string> Fixture = Fixtures.Frames("kalshi-ws").Where(l => l.StartsWith("{\"type\":\"cfbenchmarks_value\"", StringComparison.Ordinal)).ToList();

    [Fact]
    public void The_fixture_print_is_read_from_the_data_string_with_Kalshi_s_windowed_average()
    {
        Fixture.Should().HaveCount(2);
        IndexFrameReader.TryRead(Encoding.UTF8.GetBytes(Fixture[0]), out var frame, out var error).Should().BeTrue(error);

        frame.Print.Should().Be(new IndexPrint("BRTI", 1784776481000, 65790.41m, 1784776481187));
        frame.Print.Second.Should().Be(1784776481);
        frame.LastWindowAverage.Should().Be(new KalshiWindowAverage(65788.95m, 41, 1784776440001, 1784776481001));
        frame.LastWindowAverage!.CloseSecond.Should().Be(1784776500, "Kalshi's window (T-60 s, T] starts 1 ms after T-60 s: the close is the quarter hour");
    }

    [Fact]
    public void Outside_the_final_minute_there_is_no_windowed_average()
    {
        IndexFrameReader.TryRead(Encoding.UTF8.GetBytes(Fixture[1]), out var frame, out _).Should().BeTrue();
        frame.Print.Value.Should().Be(65802.10m);
        frame.Print.TimeMs.Should().Be(1784776502000);
        frame.LastWindowAverage.Should().BeNull();
    }

    [Theory]
    [InlineData("""{"type":"cfbenchmarks_value","sid":5,"msg":{"index_id":"BRTI","received_at":1,"data":"not json"}}""")]
    [InlineData("""{"type":"cfbenchmarks_value","sid":5,"msg":{"index_id":"BRTI","received_at":1,"data":"{\"time\":1784776481000}"}}""")]
    [InlineData("""{"type":"cfbenchmarks_value","sid":5,"msg":{"index_id":"BRTI","received_at":1}}""")]
    [InlineData("""{"type":"cfbenchmarks_value","sid":5}""")]
    public void A_frame_without_a_readable_print_is_malformed(string json)
    {
        IndexFrameReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out var error).Should().BeFalse();
        error.Should().NotBeNullOrEmpty();
    }
}
