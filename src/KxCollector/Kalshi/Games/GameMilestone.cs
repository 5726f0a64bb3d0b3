namespace KxCollector.Kalshi.Games;

/// <summary>
/// A milestone as <c>GET /milestones</c> and <c>GET /events?with_milestones=true</c> list it: the real-world game an
/// event is about. <see cref="EventTickers"/> are its related_event_tickers (primary ones first when Kalshi lists
/// them apart), the events whose markets the game moves.
/// </summary>
internal sealed record GameMilestone(string Id, string? Type, DateTimeOffset Start, DateTimeOffset? End, IReadOnlyList<string> EventTickers);

/// <summary>An open event of a recorded series, and the latest close_time among its markets (null: none listed).</summary>
internal sealed record GameEvent(string EventTicker, DateTimeOffset? MarketsClose);

/// <summary>One entry of <c>GET /live_data/batch</c>: the milestone, Kalshi's type word, and <c>details</c> as received.</summary>
internal sealed record LiveData(string MilestoneId, string? Type, string DetailsJson);
