using KxCollector.Kalshi.Sports;
using KxCollector.Configuration;

namespace KxCollector.Tests.Sports;

public sealed class SportsResolverTests
{
    private static readonly SeriesInfo[] Listed =
    [
        new("KXNFLGAME", "Sports", ["Football"]),
        new("KXNFLSPREAD", "Sports", ["Football"]),
        new("KXNCAAFGAME", "Sports", ["Football"]),
        new("KXNBAGAME", "Sports", ["Basketball"]),
        new("KXWNBAGAME", "Sports", ["Basketball"]),
        new("KXNFLMENTION", "Mentions", ["Football"]),
        new("KXNFLDRAFT", "Sports", ["Draft"]),
    ];

    [Fact]
    public void A_sport_gets_the_series_of_its_category_tag_and_league_and_nothing_else()
    {
        SportsResolver.Match(Sport("NFL"), Listed).Should().Equal("KXNFLGAME", "KXNFLSPREAD");
        SportsResolver.Match(Sport("CFB"), Listed).Should().Equal("KXNCAAFGAME");
        SportsResolver.Match(Sport("NBA"), Listed).Should().Equal(["KXNBAGAME"], "KXWNBA is another league under the same tag");
        SportsResolver.Match(Sport("WNBA"), Listed).Should().Equal("KXWNBAGAME");
        SportsResolver.Match(Sport("NHL"), Listed).Should().BeEmpty();
    }

    [Fact]
    public void A_series_listed_twice_is_resolved_once_and_tags_compare_without_case()
    {
        SportsResolver.Match(Sport("NFL"), [new("KXNFLGAME", "sports", ["FOOTBALL"]), new("KXNFLGAME", "Sports", ["Football"])])
            .Should().Equal("KXNFLGAME");
    }

    [Fact]
    public void Sports_whose_tag_Kalshi_does_not_list_are_named()
    {
        var tags = new Dictionary<string, IReadOnlyList<string>> { ["Sports"] = ["Football", "Basketball"], ["Crypto"] = ["Hockey"] };

        SportsResolver.UnknownTags([Sport("NFL"), Sport("NHL"), Sport("NBA"), Sport("EPL")], tags).Select(s => s.Name).Should().Equal("NHL", "EPL");
    }

    [Fact]
    public void The_catalog_knows_the_four_sports_of_the_issue_and_its_aliases()
    {
        SportCatalog.Find("nfl")!.Tag.Should().Be("Football");
        SportCatalog.Find("NCAAF").Should().Be(SportCatalog.Find("CFB"));
        SportCatalog.Find("NHL")!.Competition.Should().Be("Pro Hockey");
        SportCatalog.Find("NBA")!.Competition.Should().Be("Pro Basketball (M)");
        SportCatalog.Find("XFL").Should().BeNull();
        SportCatalog.All.SelectMany(s => s.TickerPrefixes).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Series_and_tag_bodies_are_read_in_Kalshi_s_shape()
    {
        var (series, cursor) = SportsParser.ParseSeriesList("""
            {"series":[{"ticker":"KXNFLGAME","title":"Pro football game","category":"Sports","tags":["Football"],"frequency":"custom",
              "settlement_sources":[{"name":"NFL","url":"https://nfl.com"}],"volume_fp":"10.00","last_updated_ts":"2026-11-30T10:00:00Z"},
              {"ticker":"KXOTHER","category":"Sports","tags":null},{"title":"no ticker"}]}
            """u8);
        series.Select(s => (s.Ticker, s.Category, string.Join("|", s.Tags))).Should().Equal(("KXNFLGAME", "Sports", "Football"), ("KXOTHER", "Sports", ""));
        cursor.Should().BeNull();

        var tags = SportsParser.ParseTagsByCategories("""{"tags_by_categories":{"Sports":["Football","Basketball"],"Politics":null}}"""u8);
        tags["Sports"].Should().Equal("Football", "Basketball");
        tags["Politics"].Should().BeEmpty();
    }

    private static Sport Sport(string name) => SportCatalog.Find(name)!;
}
