using System.Text.RegularExpressions;
using FluentAssertions;
using KxCollector.Records;
using KxCollector.Tests.Support;
using Xunit;

namespace KxCollector.Tests.Records;

/// <summary>
/// README's key table of each record type (the tables after a <c>&lt;!-- record-keys: TYPE --&gt;</c> marker) names
/// exactly the keys of that record type: a key added to a record without its README row fails here.
/// </summary>
public sealed partial class ReadmeRecordKeysTests
{
    public static TheoryData<string> Types =>
        ["tick", "tick.markets", "trade", "lifecycle", "settlement", "index", "game", "market", "candle"];

    private static IReadOnlyList<string> KeysOf(string type) => type switch
    {
        "tick" => TickRecord.Keys,
        "tick.markets" => TickMarketRecord.Keys,
        "trade" => TradeRecord.Keys,
        "lifecycle" => LifecycleRecord.Keys,
        "settlement" => SettlementRecord.Keys,
        "index" => IndexRecord.Keys,
        "game" => GameRecord.Keys,
        "market" => MarketRecord.Keys,
        "candle" => CandleRecord.Keys,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void The_readme_table_lists_exactly_the_record_types_keys(string type)
    {
        var documented = TableKeys(File.ReadAllLines(RepositoryRoot.Combine("README.md")), type);

        // "type" is described once, in the tick table; every other table starts at the keys of its own.
        documented.Should().NotBeEmpty($"README has a table marked <!-- record-keys: {type} -->");
        documented.Except(["type"]).Should().BeEquivalentTo(KeysOf(type).Except(["type"]), $"README's {type} table and the record's keys");
    }

    /// <summary>The backticked names in the first column of every table row under a marker for the type.</summary>
    internal static HashSet<string> TableKeys(IReadOnlyList<string> readme, string type)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < readme.Count; i++)
        {
            if (readme[i].Trim() != $"<!-- record-keys: {type} -->")
            {
                continue;
            }

            // Header and separator rows first, then the rows until the table ends.
            for (var row = i + 3; row < readme.Count && readme[row].StartsWith('|'); row++)
            {
                var firstColumn = readme[row].Split('|')[1];
                foreach (Match name in KeyName().Matches(firstColumn))
                {
                    keys.Add(name.Groups[1].Value);
                }
            }
        }

        return keys;
    }

    [GeneratedRegex("`([a-z0-9_]+)`")]
    private static partial Regex KeyName();
}
