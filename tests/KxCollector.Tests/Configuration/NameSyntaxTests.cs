using KxCollector.Configuration;

namespace KxCollector.Tests.Configuration;

/// <summary>The name checks that replaced three regexes: the same language, and no newline slipping past a '$'.</summary>
public sealed class NameSyntaxTests
{
    [Theory]
    [InlineData("KXBTC15M", true)]
    [InlineData("KXNBA-2H", true)]
    [InlineData("KXINX.D_25", true)]
    [InlineData("9", true)]
    [InlineData("", false)]
    [InlineData("-KXBTC", false)]
    [InlineData(".KX", false)]
    [InlineData("kxbtc15m", false)]
    [InlineData("KX BTC", false)]
    [InlineData("KXBTC\n", false)]
    [InlineData("KXBTC:1", false)]
    [InlineData("KXBTCÄ", false)]
    public void A_ticker_is_upper_case_letters_and_digits_then_dots_dashes_and_underscores(string text, bool valid)
    {
        NameSyntax.IsTicker(text).Should().Be(valid);
    }

    [Fact]
    public void A_name_holds_at_most_64_characters()
    {
        NameSyntax.IsTicker(new string('A', 64)).Should().BeTrue();
        NameSyntax.IsTicker(new string('A', 65)).Should().BeFalse();
        NameSyntax.IsCollectorId(new string('a', 65)).Should().BeFalse();
        NameSyntax.IsTicker(null).Should().BeFalse();
    }

    [Theory]
    [InlineData("BRTI", true)]
    [InlineData("CF_ETH_USD", true)]
    [InlineData("CF-ETH", false)]
    [InlineData("CF.ETH", false)]
    [InlineData("_BRTI", false)]
    public void An_index_id_takes_underscores_but_no_dots_or_dashes(string text, bool valid)
    {
        NameSyntax.IsIndexId(text).Should().Be(valid);
    }

    [Theory]
    [InlineData("box-1", true)]
    [InlineData("me@box:2", true)]
    [InlineData("Box.local", true)]
    [InlineData("@box", false)]
    [InlineData("box 1", false)]
    [InlineData("box/1", false)]
    public void A_collector_id_takes_mixed_case_and_host_like_punctuation(string text, bool valid)
    {
        NameSyntax.IsCollectorId(text).Should().Be(valid);
    }
}
