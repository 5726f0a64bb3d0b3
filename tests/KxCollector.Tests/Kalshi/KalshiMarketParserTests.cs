using System.Text.Json;
using KxCollector.Kalshi.Markets;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Kalshi;

public sealed class KalshiMarketParserTests
{
    [Fact]
    public void Markets_open_fixture_parses_every_field_the_collector_uses_as_exact_decimals()
    {
        var page = KalshiMarketParser.ParseMarketsPage(FixtureBody("03-markets-open.json"));

        page.Cursor.Should().BeNull("an empty cursor ends paging");
        var market = page.Markets.Should().ContainSingle().Subject;
        market.Ticker.Should().Be("KXBTC15M-26JUL222315-15");
        market.EventTicker.Should().Be("KXBTC15M-26JUL222315");
        market.Status.Should().Be("active");
        market.OpenTime.Should().Be(new DateTimeOffset(2026, 7, 23, 3, 0, 0, TimeSpan.Zero));
        market.CloseTime.Should().Be(new DateTimeOffset(2026, 7, 23, 3, 15, 0, TimeSpan.Zero));
        market.ExpectedExpirationTime.Should().Be(new DateTimeOffset(2026, 7, 23, 3, 20, 0, TimeSpan.Zero));
        market.FloorStrike.Should().Be(65776.62m);
        market.YesBid.Should().Be(0.049m);
        market.YesAsk.Should().Be(0.051m);
        market.NoBid.Should().Be(0.949m);
        market.NoAsk.Should().Be(0.951m);
        market.LastPrice.Should().Be(0.053m);
        market.Volume.Should().Be(1548128.77m);
        market.OpenInterest.Should().Be(478961.41m);
        market.Result.Should().BeEmpty();
        market.ExpirationValue.Should().BeNull();
        market.HasResult.Should().BeFalse();
    }

    [Fact]
    public void Market_detail_fixture_parses_the_market_object()
    {
        var market = KalshiMarketParser.ParseMarketDetail(FixtureBody("04-market-detail.json"));

        market.Should().NotBeNull();
        market!.Ticker.Should().Be("KXBTC15M-26JUL222315-15");
        market.YesBid.Should().Be(0.056m);
        market.Volume.Should().Be(1552141.80m);
        market.OpenInterest.Should().Be(480551.08m);
    }

    [Theory]
    [InlineData("02-series-KXBTC15M.json")]
    [InlineData("05-orderbook-sample.json")]
    public void Other_fixtures_are_not_mistaken_for_markets(string fixture)
    {
        KalshiMarketParser.ParseMarketDetail(FixtureBody(fixture)).Should().BeNull();
        KalshiMarketParser.ParseMarketsPage(FixtureBody(fixture)).Markets.Should().BeEmpty();
    }

    [Fact]
    public void Rate_limit_probe_fixture_says_there_is_no_retry_after_header()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Fixtures.Path("kalshi", "06-rate-limit-probes.json")));
        doc.RootElement.GetProperty("probes").EnumerateArray()
            .SelectMany(p => p.GetProperty("all_headers").EnumerateObject())
            .Should().NotContain(h => h.Name.Equals("retry-after", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Removed_integer_cent_fields_are_never_read()
    {
        var body = """{"markets":[{"ticker":"T","yes_bid":5,"yes_ask":6,"last_price":5,"volume":100,"open_interest":7,"no_bid":94,"no_ask":95}],"cursor":""}"""u8;

        var market = KalshiMarketParser.ParseMarketsPage(body).Markets.Single();

        market.YesBid.Should().BeNull();
        market.YesAsk.Should().BeNull();
        market.LastPrice.Should().BeNull();
        market.Volume.Should().BeNull();
        market.OpenInterest.Should().BeNull();
        market.NoBid.Should().BeNull();
    }

    [Fact]
    public void Settled_market_result_and_expiration_value_with_thousands_separator_parse()
    {
        var body = """{"market":{"ticker":"T","status":"finalized","result":"yes","expiration_value":"79,604.96","floor_strike":79500.1,"settlement_ts":"2026-07-23T03:15:11.62Z"}}"""u8;

        var market = KalshiMarketParser.ParseMarketDetail(body)!;

        market.Result.Should().Be("yes");
        market.IsFinalized.Should().BeTrue();
        market.ExpirationValue.Should().Be(79604.96m);
        market.FloorStrike.Should().Be(79500.1m);
        market.SettlementTime.Should().Be(new DateTimeOffset(2026, 7, 23, 3, 15, 11, 620, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("  ", null)]
    [InlineData(null, null)]
    [InlineData("65776.62", "65776.62")]
    [InlineData("79,604.96", "79604.96")]
    [InlineData("1,234,567.5", "1234567.5")]
    [InlineData("n/a", null)]
    public void Expiration_value_is_parsed_defensively(string? text, string? expected)
    {
        KalshiMarketParser.ParseExpirationValue(text).Should().Be(expected is null ? null : decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-07-23T03:15:00Z", 0)]
    [InlineData("2026-07-23T03:15:00.7Z", 7_000_000)]
    [InlineData("2026-07-23T03:15:00.747044Z", 7_470_440)]
    [InlineData("2026-07-23T03:15:00.123456789Z", 1_234_567)]
    [InlineData("2026-07-22T23:15:00.5-04:00", 5_000_000)]
    public void Timestamps_with_variable_fractional_digits_parse_to_utc(string text, long ticksIntoSecond)
    {
        var parsed = KalshiMarketParser.ParseTimestamp(text);

        parsed.Should().NotBeNull();
        parsed!.Value.Offset.Should().Be(TimeSpan.Zero);
        parsed.Value.UtcDateTime.Should().Be(new DateTime(2026, 7, 23, 3, 15, 0, DateTimeKind.Utc).AddTicks(ticksIntoSecond));
    }

    [Fact]
    public void Null_and_empty_prices_and_a_null_strike_are_null_not_zero()
    {
        var body = """{"markets":[{"ticker":"T","yes_bid_dollars":null,"yes_ask_dollars":"","floor_strike":null,"no_bid_dollars":"0.0000"}],"cursor":"abc"}"""u8;

        var page = KalshiMarketParser.ParseMarketsPage(body);

        page.Cursor.Should().Be("abc");
        var market = page.Markets.Single();
        market.YesBid.Should().BeNull();
        market.YesAsk.Should().BeNull();
        market.FloorStrike.Should().BeNull();
        market.NoBid.Should().Be(0m);
    }

    [Fact]
    public void Escaped_names_and_values_padded_numbers_and_long_fractions_read_as_their_text_says()
    {
        // Names and values read from the body's bytes in place must still read escaped JSON as its text.
        var body = """
            {"markets":[{"tick\u0065r":"T\u002D1","status":"\u0061ctive","yes_bid_dollars":" 0.0560 ","yes_ask_dollars":"0.\u0030570",
            "close_time":"2026-07-23T03:15:00.123456789Z","open_time":"2026-07-23T03:00:00\u005A","result":"yes","expiration_value":"",
            "a_field_name_longer_than_sixty_four_bytes_which_kalshi_might_add_one_day_\u0078":1}]}
            """u8;

        var market = KalshiMarketParser.ParseMarketsPage(body).Markets.Single();

        market.Ticker.Should().Be("T-1");
        market.Status.Should().Be("active");
        market.YesBid.Should().Be(0.056m);
        market.YesAsk.Should().Be(0.057m);
        market.CloseTime.Should().Be(new DateTimeOffset(2026, 7, 23, 3, 15, 0, TimeSpan.Zero).AddTicks(1_234_567));
        market.OpenTime.Should().Be(new DateTimeOffset(2026, 7, 23, 3, 0, 0, TimeSpan.Zero));
        market.Result.Should().BeSameAs("yes", "a known word is the same string every poll");
        market.ExpirationValueText.Should().BeEmpty();
        market.ExpirationValue.Should().BeNull();
    }

    [Fact]
    public void Truncated_body_is_a_json_error()
    {
        var act = () => KalshiMarketParser.ParseMarketsPage("""{"markets":[{"ticker":"T","""u8);

        act.Should().Throw<JsonException>();
    }

    [Fact]
    public void A_page_of_a_hundred_markets_allocates_little_more_than_the_markets_themselves()
    {
        // Kalshi's own market objects (the fixture's, ~50 fields each), a hundred with their own tickers: the poll's
        // body. What the parser keeps is each KalshiMarket with its ticker and event ticker; field names, numbers,
        // timestamps and the usual status and result words must cost nothing beside them.
        var market = System.Text.Json.Nodes.JsonNode.Parse(FixtureBody("03-markets-open.json"))!["markets"]![0]!;
        var markets = new System.Text.Json.Nodes.JsonArray();
        for (var i = 0; i < 100; i++)
        {
            var copy = market.DeepClone();
            copy["ticker"] = $"KXBTC15M-26JUL22{i:D4}-{i % 60:D2}";
            markets.Add(copy);
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(new System.Text.Json.Nodes.JsonObject { ["markets"] = markets, ["cursor"] = "" });
        KalshiMarketParser.ParseMarketsPage(body); // JIT

        var before = GC.GetAllocatedBytesForCurrentThread();
        var page = KalshiMarketParser.ParseMarketsPage(body);
        var perMarket = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        page.Markets.Should().HaveCount(100);
        page.Markets[99].Ticker.Should().Be("KXBTC15M-26JUL220099-39");
        page.Markets[99].Status.Should().Be("active");
        page.Markets[99].CloseTime.Should().Be(new DateTimeOffset(2026, 7, 23, 3, 15, 0, TimeSpan.Zero));
        // What one kept market costs on its own: the object and its two ticker strings, built the same way.
        var keptBefore = GC.GetAllocatedBytesForCurrentThread();
        var kept = new KalshiMarket
        {
            Ticker = new string('K', page.Markets[99].Ticker.Length),
            EventTicker = new string('K', page.Markets[99].EventTicker!.Length),
            Status = "active",
        };
        var keptBytes = GC.GetAllocatedBytesForCurrentThread() - keptBefore;
        kept.Ticker.Should().HaveLength(23);

        // Beside it, the page's list (its doubling arrays, ~20 B a market) and nothing per field; before the names,
        // numbers and timestamps were read from the bytes in place, it was 3,294 B a market.
        perMarket.Should().BeLessThanOrEqualTo(keptBytes + 64, $"one market on its own is {keptBytes} B");
    }

    internal static byte[] FixtureBody(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Fixtures.Path("kalshi", name)));
        var body = doc.RootElement.TryGetProperty("body", out var b) ? b : doc.RootElement;
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }
}
