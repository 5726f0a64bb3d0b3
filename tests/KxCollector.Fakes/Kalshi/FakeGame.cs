using System.Text.Json.Nodes;

namespace KxCollector.Fakes.Kalshi;

/// <summary>
/// A scripted game: its milestone (id, type, start, the events it moves), when its markets close, and its live
/// data's details, which a test (or the fake's own clock) changes as the game goes on.
/// </summary>
public sealed class FakeGame
{
    private readonly Lock _gate = new();
    private JsonObject _details = new() { ["status"] = "scheduled", ["home_points"] = 0, ["away_points"] = 0 };

    public required string MilestoneId { get; init; }

    public string Type { get; init; } = "football_game";

    /// <summary>The live data's own type word (Kalshi's differs from the milestone's).</summary>
    public string LiveDataType { get; init; } = "football";

    public string Competition { get; init; } = "Pro Football";

    public string Title { get; init; } = "Away at Home";

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset MarketsClose { get; init; }

    public required IReadOnlyList<string> EventTickers { get; init; }

    /// <summary>Replaces the details Kalshi would send from now on.</summary>
    public void SetDetails(JsonObject details)
    {
        lock (_gate)
        {
            _details = details;
        }
    }

    /// <summary>Sets the score (and "live" status), as a touchdown would.</summary>
    public void Score(int home, int away) =>
        SetDetails(new JsonObject { ["status"] = "live", ["home_points"] = home, ["away_points"] = away, ["period"] = 1 });

    internal JsonObject DetailsSnapshot()
    {
        lock (_gate)
        {
            return _details.DeepClone().AsObject();
        }
    }
}
