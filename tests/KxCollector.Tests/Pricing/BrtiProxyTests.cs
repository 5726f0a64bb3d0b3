using KxCollector.Pricing;

namespace KxCollector.Tests.Pricing;

public sealed class BrtiProxyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 17, 0, 5, TimeSpan.Zero);

    [Fact]
    public void Median_of_three_is_the_middle_value()
    {
        BrtiProxy.Median(70241.155m, 70244.25m, 70241.5m).Should().Be(70241.5m);
    }

    [Fact]
    public void Median_of_two_is_their_mean_rounded_half_up_to_cents()
    {
        BrtiProxy.Median(100.005m, null, 100.0m).Should().Be(100.0m); // (100.005 + 100.0) / 2 = 100.0025 -> 100.00
        BrtiProxy.Median(null, 100.01m, 100.0m).Should().Be(100.01m); // 100.005 -> 100.01 (half up)
    }

    [Fact]
    public void Median_of_one_is_that_value_and_of_none_is_null()
    {
        BrtiProxy.Median(null, 98811.035m, null).Should().Be(98811.04m);
        BrtiProxy.Median(null, null, null).Should().BeNull();
    }

    [Fact]
    public void Sample_reports_each_fresh_mid_and_their_median()
    {
        var board = new PriceBoard();
        Publish(board, Exchange.Coinbase, 70241.15m, 70241.16m, Now.AddSeconds(-1));
        Publish(board, Exchange.Kraken, 70244.2m, 70244.3m, Now.AddSeconds(-2));
        Publish(board, Exchange.Bitstamp, 70241m, 70242m, Now);

        var sample = new BrtiProxy(board, TimeSpan.FromSeconds(5)).Sample(Now);

        sample.Should().Be(new IndexSample(70241.155m, 70244.25m, 70241.5m, 70241.5m));
    }

    [Fact]
    public void Sample_writes_a_quote_older_than_the_stale_limit_as_null_and_leaves_it_out_of_the_median()
    {
        var board = new PriceBoard();
        Publish(board, Exchange.Coinbase, 100m, 102m, Now.AddSeconds(-5)); // exactly at the limit: still fresh
        Publish(board, Exchange.Kraken, 200m, 202m, Now.AddSeconds(-5.001)); // just past it: stale
        Publish(board, Exchange.Bitstamp, 104m, 106m, Now);

        var sample = new BrtiProxy(board, TimeSpan.FromSeconds(5)).Sample(Now);

        sample.Coinbase.Should().Be(101m);
        sample.Kraken.Should().BeNull();
        sample.Bitstamp.Should().Be(105m);
        sample.Brti.Should().Be(103m);
    }

    [Fact]
    public void Sample_of_an_empty_board_is_all_null()
    {
        new BrtiProxy(new PriceBoard(), TimeSpan.FromSeconds(5)).Sample(Now).Should().Be(new IndexSample(null, null, null, null));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(-1, 100)]
    [InlineData(101, 100)]
    public void TryCreate_rejects_non_positive_and_crossed_quotes(double bid, double ask)
    {
        ExchangeQuote.TryCreate((decimal)bid, (decimal)ask, null, Now, out var quote).Should().BeFalse();
        quote.Should().Be(default(ExchangeQuote));
    }

    [Fact]
    public void Mid_is_exact_in_decimal_without_trailing_zeros()
    {
        ExchangeQuote.TryCreate(98810.00m, 98810.00m, null, Now, out var locked).Should().BeTrue();
        locked.Mid.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("98810");
        ExchangeQuote.TryCreate(98811.03m, 98811.04m, null, Now, out var quote).Should().BeTrue();
        quote.Mid.Should().Be(98811.035m);
    }

    private static void Publish(PriceBoard board, Exchange exchange, decimal bid, decimal ask, DateTimeOffset receivedAt)
    {
        ExchangeQuote.TryCreate(bid, ask, null, receivedAt, out var quote).Should().BeTrue();
        board.Publish(exchange, quote);
    }
}
