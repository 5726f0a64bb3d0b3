using KxCollector.Kalshi.Stream;

namespace KxCollector.Tests.Kalshi.Stream;

public sealed class MarketAssignmentTests
{
    [Fact]
    public void Markets_beyond_the_per_connection_limit_open_another_connection()
    {
        var connections = new List<HashSet<string>>();

        MarketAssignment.Assign(connections, ["A", "B", "C", "D", "E"], maxPerConnection: 2);

        connections.Select(c => c.Order().ToArray()).Should().BeEquivalentTo(
            new[] { new[] { "A", "B" }, ["C", "D"], ["E"] }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Markets_stay_on_their_connection_and_new_ones_fill_free_room_first()
    {
        var connections = new List<HashSet<string>>();
        MarketAssignment.Assign(connections, ["A", "B", "C"], maxPerConnection: 2);

        MarketAssignment.Assign(connections, ["B", "C", "Z"], maxPerConnection: 2);

        connections.Should().HaveCount(2);
        connections[0].Should().BeEquivalentTo(["B", "Z"]);
        connections[1].Should().BeEquivalentTo(["C"]);
    }
}
