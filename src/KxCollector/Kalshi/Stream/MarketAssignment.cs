namespace KxCollector.Kalshi.Stream;

/// <summary>
/// Spreads the wanted markets over stream connections of at most N markets each. Sticky: a market stays on its
/// connection while wanted (moving it would cost a new snapshot for nothing); new markets fill the first
/// connection with room, and a new connection is opened only when all are full.
/// </summary>
internal static class MarketAssignment
{
    /// <summary>Updates <paramref name="connections"/> in place; appends sets for new connections as needed.</summary>
    public static void Assign(List<HashSet<string>> connections, IReadOnlyCollection<string> wanted, int maxPerConnection)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerConnection, 1);
        var wantedSet = wanted as IReadOnlySet<string> ?? wanted.ToHashSet(StringComparer.Ordinal);
        foreach (var set in connections)
        {
            set.RemoveWhere(t => !wantedSet.Contains(t));
        }

        foreach (var ticker in wanted.Order(StringComparer.Ordinal))
        {
            if (connections.Any(c => c.Contains(ticker)))
            {
                continue;
            }

            var target = connections.FirstOrDefault(c => c.Count < maxPerConnection);
            if (target is null)
            {
                target = new HashSet<string>(StringComparer.Ordinal);
                connections.Add(target);
            }

            target.Add(ticker);
        }
    }
}
