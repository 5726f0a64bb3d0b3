using System.Buffers;
using System.Text;
using System.Text.Json;
using KxCollector.Kalshi.Stream;

namespace KxCollector.Tests.Kalshi.Stream;

public sealed class OrderBookTests
{
    [Fact]
    public void A_snapshot_then_deltas_give_the_top_bids_best_first()
    {
        var book = new OrderBook();
        book.ApplySnapshot([new(0.0100m, 2500m), new(0.0500m, 120m), new(0.0560m, 4480m)], [new(0.9300m, 800m), new(0.9430m, 22m)]);

        book.ApplyDelta("yes", 0.0560m, -480m).Should().BeTrue();
        book.ApplyDelta("yes", 0.0570m, 10m).Should().BeTrue();
        book.ApplyDelta("no", 0.9430m, -22m).Should().BeTrue();

        book.TopBids("yes", 3).Should().Equal(new BookLevel(0.0570m, 10m), new BookLevel(0.0560m, 4000m), new BookLevel(0.0500m, 120m));
        book.TopBids("no", 3).Should().Equal(new BookLevel(0.9300m, 800m));
        Write(book, 2).Should().Be("""{"yes_book":[[5.7,10],[5.6,4000]],"no_book":[[93,800]]}""");
    }

    [Fact]
    public void Empty_sides_are_written_as_empty_arrays()
    {
        var book = new OrderBook();
        book.ApplySnapshot(null, []);

        book.IsValid.Should().BeTrue();
        Write(book, 5).Should().Be("""{"yes_book":[],"no_book":[]}""");
    }

    [Fact]
    public void Fractional_sizes_and_sub_penny_prices_stay_exact()
    {
        var book = new OrderBook();
        book.ApplySnapshot([new(0.0010m, 19853.69m)], [new(0.9010m, 451.10m)]);

        book.ApplyDelta("yes", 0.0010m, -0.69m).Should().BeTrue();
        book.ApplyDelta("no", 0.9010m, 0.015m).Should().BeTrue();

        Write(book, 1).Should().Be("""{"yes_book":[[0.1,19853]],"no_book":[[90.1,451.115]]}""");
    }

    [Fact]
    public void A_delta_that_would_make_a_size_negative_invalidates_the_book_until_a_snapshot()
    {
        var book = new OrderBook();
        book.ApplySnapshot([new(0.0500m, 120m)], null);

        book.ApplyDelta("yes", 0.0500m, -121m).Should().BeFalse();

        book.IsValid.Should().BeFalse();
        Write(book, 3).Should().Be("""{"yes_book":null,"no_book":null}""");
        book.ApplyDelta("yes", 0.0500m, 1m).Should().BeFalse("an invalid book takes no deltas");

        book.ApplySnapshot([new(0.0600m, 5m)], null);
        Write(book, 3).Should().Be("""{"yes_book":[[6,5]],"no_book":[]}""");
    }

    [Fact]
    public void A_book_is_invalid_before_its_first_snapshot()
    {
        var book = new OrderBook();

        book.IsValid.Should().BeFalse();
        book.ApplyDelta("yes", 0.5m, 1m).Should().BeFalse();
        book.TopBids("yes", 1).Should().BeEmpty();
    }

    private static string Write(OrderBook book, int depth)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            book.WriteTop(writer, depth, JsonEncodedText.Encode("yes_book"), JsonEncodedText.Encode("no_book"));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
