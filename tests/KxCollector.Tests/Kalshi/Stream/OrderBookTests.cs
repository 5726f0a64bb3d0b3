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
    public void The_top_of_a_deep_book_is_written_without_copying_the_book()
    {
        // Every tick writes the top levels of every market's book: that must cost the levels written, not the book's
        // depth (reversing an ascending dictionary copied all 400 levels of each side, about 13 KB, every second).
        var book = new OrderBook();
        book.ApplySnapshot(
            Enumerable.Range(1, 400).Select(i => new BookLevel(i / 1000m, i)).ToList(),
            Enumerable.Range(1, 400).Select(i => new BookLevel(i / 1000m, i)).ToList());
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        var yes = JsonEncodedText.Encode("yes_book");
        var no = JsonEncodedText.Encode("no_book");
        book.WriteTop(writer, 5, yes, no); // first call: JIT and statics

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            book.WriteTop(writer, 5, yes, no);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0, "an unchanged book writes the bytes it rendered for the last tick");
        writer.Flush();
        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().StartWith("\"yes_book\":[[40,400],[39.9,399],[39.8,398],[39.7,397],[39.6,396]]");
    }

    [Fact]
    public void What_is_written_follows_every_change_to_the_book()
    {
        // The rendered top levels are kept between ticks: each kind of change must show in the next write, never a
        // stale render. The expected text is built from TopBids, independently of the writer.
        var random = new Random(15);
        var book = new OrderBook();
        book.ApplySnapshot([new(0.40m, 10m), new(0.39m, 5m)], [new(0.55m, 7m)]);
        for (var step = 0; step < 2000; step++)
        {
            var depth = 1 + random.Next(3);
            Write(book, depth).Should().Be(Expected(book, depth), $"after step {step}");
            Write(book, depth).Should().Be(Expected(book, depth), "a second write of an unchanged book is the same");
            switch (random.Next(20))
            {
                case 0:
                    book.ApplySnapshot([new(0.01m * random.Next(1, 99), random.Next(1, 50))], null);
                    break;
                case 1:
                    book.Invalidate();
                    Write(book, depth).Should().Be("""{"yes_book":null,"no_book":null}""");
                    book.ApplySnapshot(null, [new(0.5m, 1m)]);
                    break;
                default:
                    var side = random.Next(2) == 0 ? "yes" : "no";
                    var price = 0.01m * random.Next(1, 99);
                    var existing = book.TopBids(side, 100).FirstOrDefault(l => l.Price == price).Size;
                    var delta = existing > 0 && random.Next(3) == 0 ? -existing : random.Next(1, 20);
                    book.ApplyDelta(side, price, delta).Should().BeTrue();
                    break;
            }
        }
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

    private static string Expected(OrderBook book, int depth)
    {
        static string Side(IEnumerable<BookLevel> levels) => "[" + string.Join(',', levels.Select(l =>
            $"[{(l.Price * 100m / 1.0000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture)},{(l.Size / 1.0000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture)}]")) + "]";
        return book.IsValid
            ? $$"""{"yes_book":{{Side(book.TopBids("yes", depth))}},"no_book":{{Side(book.TopBids("no", depth))}}}"""
            : """{"yes_book":null,"no_book":null}""";
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
