using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using KxCollector.Kalshi.Games;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Sports;

/// <summary>The live window, change detection, the parsers and the game line, with time from the tests' hand-driven clock.</summary>
public sealed class GameLogicTests
{
    private static readonly TimeSpan Lead = TimeSpan.FromMinutes(15);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 17, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_game_is_live_from_shortly_before_its_start_until_its_markets_close()
    {
        var start = _time.GetUtcNow().AddHours(1);
        var close = start.AddHours(4);
        bool Live() => LiveWindow.IsLive(start, close, endDate: null, _time.GetUtcNow(), Lead);

        Live().Should().BeFalse("an hour before the start");
        _time.Advance(TimeSpan.FromMinutes(44));
        Live().Should().BeFalse("16 minutes before the start");
        _time.Advance(TimeSpan.FromMinutes(1));
        Live().Should().BeTrue("15 minutes before the start");
        _time.SetUtcNow(close.AddTicks(-1));
        Live().Should().BeTrue();
        LiveWindow.IsOver(close, null, _time.GetUtcNow()).Should().BeFalse();
        _time.SetUtcNow(close);
        Live().Should().BeFalse("its markets have closed");
        LiveWindow.IsOver(close, null, _time.GetUtcNow()).Should().BeTrue();
    }

    [Fact]
    public void Without_a_markets_close_the_end_date_bounds_the_game_and_with_neither_it_is_never_live()
    {
        var start = _time.GetUtcNow().AddMinutes(-5);

        LiveWindow.IsLive(start, null, start.AddHours(3), _time.GetUtcNow(), Lead).Should().BeTrue();
        LiveWindow.IsLive(start, null, null, _time.GetUtcNow(), Lead).Should().BeFalse();
        LiveWindow.IsLive(start, start.AddHours(1), start.AddHours(9), start.AddHours(2), Lead).Should().BeFalse("the markets' close wins over the end date");
    }

    [Fact]
    public void A_change_is_a_different_value_not_a_different_spelling()
    {
        var changes = new GameChangeDetector();

        changes.Changed("m1", "football", """{"home":0,"away":0,"clock":"15:00"}""").Should().BeTrue("the first read of a game");
        changes.Changed("m1", "football", """{ "away": 0, "home": 0, "clock": "15:00" }""").Should().BeFalse("same values, other key order and spacing");
        changes.Changed("m2", "football", """{"home":0,"away":0,"clock":"15:00"}""").Should().BeTrue("another game");
        changes.Changed("m1", "football", """{"home":7,"away":0,"clock":"11:02"}""").Should().BeTrue("a touchdown");
        changes.Changed("m1", "football", """{"home":7,"away":0,"clock":"11:02"}""").Should().BeFalse();
        changes.Changed("m1", "football", """{"home":7,"away":0,"clock":"11:02","drive":{"plays":1}}""").Should().BeTrue("a new key");
        changes.Changed("m1", "football", """{"home":7.0,"away":0,"clock":"11:02","drive":{"plays":1}}""").Should().BeFalse("7.0 is the same number");
        changes.Changed("m1", "basketball", """{"home":7,"away":0,"clock":"11:02","drive":{"plays":1}}""").Should().BeTrue("another live data type");
        changes.Forget("m1");
        changes.Changed("m1", "basketball", """{"home":7,"away":0,"clock":"11:02","drive":{"plays":1}}""").Should().BeTrue("forgotten: read anew");
    }

    [Fact]
    public void Live_data_details_are_kept_byte_for_byte_and_the_game_line_writes_them_so()
    {
        var body = """{"live_datas":[{"type":"football","details":{"b":1, "a":[2,{"c":"x\"y"}],"é":null},"milestone_id":"m1"},{"type":"x","milestone_id":"m2"},{"details":{},"type":"y"}]}"""u8;

        var datas = GamesParser.ParseLiveDatas(body);

        datas.Should().ContainSingle("entries without details or an id are skipped");
        datas[0].DetailsJson.Should().Be("""{"b":1, "a":[2,{"c":"x\"y"}],"é":null}""");
        var milestone = new GameMilestone("m1", "football_game", _time.GetUtcNow(), null, ["KXNFLGAME-26DEC06KCBUF", "KXNFLSPREAD-26DEC06KCBUF"]);
        var line = System.Text.Encoding.UTF8.GetString(GameLine.Format(_time.GetUtcNow().AddMilliseconds(12), milestone, datas[0]));
        line.Should().Be("""{"type":"game","ts":"2026-12-06T17:00:00.012Z","milestone_id":"m1","event_tickers":["KXNFLGAME-26DEC06KCBUF","KXNFLSPREAD-26DEC06KCBUF"],"milestone_type":"football_game","details":{"b":1, "a":[2,{"c":"x\"y"}],"é":null}}""");

        var broken = GameLine.Format(_time.GetUtcNow(), milestone, datas[0] with { DetailsJson = "{\n \"a\": 1\n}" });
        broken.Should().NotContain((byte)'\n', "a line break would split the record");
        JsonDocument.Parse(broken).RootElement.GetProperty("details").GetProperty("a").GetInt32().Should().Be(1);
    }

    [Fact]
    public void Events_with_milestones_give_each_event_s_latest_market_close_and_the_games()
    {
        var body = """
            {"events":[{"event_ticker":"KXNFLGAME-26DEC06KCBUF","series_ticker":"KXNFLGAME","markets":[{"ticker":"A","close_time":"2026-12-06T21:00:00Z"},{"ticker":"B","close_time":"2026-12-06T22:30:00.5Z"}]},
                       {"event_ticker":"KXNFLGAME-26DEC06NYJMIA","markets":[]}],
             "milestones":[{"id":"m1","category":"Sports","type":"football_game","start_date":"2026-12-06T18:00:00Z","end_date":null,
                            "related_event_tickers":["KXNFLSPREAD-26DEC06KCBUF","KXNFLGAME-26DEC06KCBUF"],"primary_event_tickers":["KXNFLGAME-26DEC06KCBUF"],
                            "title":"KC at BUF","notification_message":"","source_id":"s","details":{},"last_updated_ts":"2026-12-01T00:00:00Z"},
                           {"id":"m2","type":"football_game"}],
             "cursor":"next"}
            """u8;

        var (events, milestones, cursor) = GamesParser.ParseEventsPage(body);

        events.Should().Equal(
            new GameEvent("KXNFLGAME-26DEC06KCBUF", new DateTimeOffset(2026, 12, 6, 22, 30, 0, 500, TimeSpan.Zero)),
            new GameEvent("KXNFLGAME-26DEC06NYJMIA", null));
        milestones.Should().ContainSingle("a milestone without a start_date cannot be placed in time");
        milestones[0].EventTickers.Should().Equal(["KXNFLGAME-26DEC06KCBUF", "KXNFLSPREAD-26DEC06KCBUF"], "primary first, each once");
        milestones[0].Start.Should().Be(new DateTimeOffset(2026, 12, 6, 18, 0, 0, TimeSpan.Zero));
        cursor.Should().Be("next");
    }
}
