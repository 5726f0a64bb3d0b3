using KxCollector.Pricing;

namespace KxCollector.Tests.Pricing;

public sealed class PriceBoardTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Read_is_null_before_the_first_quote_and_the_latest_quote_after()
    {
        var board = new PriceBoard();
        board.Read(Exchange.Kraken).Should().BeNull();

        board.Publish(Exchange.Kraken, Quote(1));
        board.Publish(Exchange.Kraken, Quote(2));
        board.Publish(Exchange.Kraken, Quote(3));

        board.Read(Exchange.Kraken).Should().Be(Quote(3));
        board.Read(Exchange.Coinbase).Should().BeNull("each exchange has its own slot");
        board.Read(Exchange.Bitstamp).Should().BeNull();
    }

    /// <summary>
    /// A feed writes while the tick reads, on two threads: every quote read must be one that was written whole (its
    /// bid, ask and receive time all say the same n), and never older than one read before. With one buffer and no
    /// version check this test failed in each of three runs.
    /// </summary>
    [Fact]
    public void A_reader_beside_a_busy_writer_only_ever_sees_whole_quotes_in_order()
    {
        const int writes = 2_000_000;
        var board = new PriceBoard();
        var writing = true;
        var writer = new Thread(() =>
        {
            for (var n = 1; n <= writes; n++)
            {
                board.Publish(Exchange.Coinbase, Quote(n));
            }

            Volatile.Write(ref writing, false);
        });

        var torn = new List<ExchangeQuote>();
        long reads = 0;
        long last = 0;
        writer.Start();
        while (Volatile.Read(ref writing) || reads == 0)
        {
            if (board.Read(Exchange.Coinbase) is not { } quote)
            {
                continue;
            }

            reads++;
            var n = (long)quote.Bid;
            if (quote.Ask != quote.Bid + 0.5m || quote.ReceivedAt != Epoch.AddTicks(n) || quote.ExchangeTime != Epoch.AddTicks(-n) || n < last)
            {
                torn.Add(quote);
            }

            last = n;
        }

        writer.Join();
        torn.Should().BeEmpty($"{reads} reads beside {writes} writes must all be whole and in order");
        board.Read(Exchange.Coinbase).Should().Be(Quote(writes));
    }

    private static ExchangeQuote Quote(long n)
    {
        ExchangeQuote.TryCreate(n, n + 0.5m, Epoch.AddTicks(-n), Epoch.AddTicks(n), out var quote).Should().BeTrue();
        return quote;
    }
}
