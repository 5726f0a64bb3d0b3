using System.Text.RegularExpressions;
using KxCollector.Hosting;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Hosting;

public sealed partial class LogEventRangesTests
{
    [Fact]
    public void Every_log_event_id_in_src_is_unique_and_inside_the_range_map()
    {
        var ids = Directory.EnumerateFiles(RepositoryRoot.Combine("src", "KxCollector"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .SelectMany(f => EventIdPattern().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(RepositoryRoot.Combine("src", "KxCollector"), f), Id: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))))
            .ToList();

        ids.Should().HaveCountGreaterThan(50, "the scan finds the project's log messages");
        ids.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(i => i.File))}")
            .Should().BeEmpty("two messages with one id cannot be told apart");
        ids.Where(i => !LogEventRanges.All.Any(r => i.Id >= r.First && i.Id <= r.Last && InFolders(i.File, r.Folders))).Select(i => $"{i.Id} in {i.File}")
            .Should().BeEmpty("every id belongs to the range of its folder in Hosting/LogEventRanges.cs");
    }

    [Fact]
    public void The_ranges_do_not_overlap()
    {
        var ordered = LogEventRanges.All.OrderBy(r => r.First).ToList();

        ordered.Zip(ordered.Skip(1)).Should().OnlyContain(pair => pair.First.Last < pair.Second.First);
    }

    /// <summary>The most specific folder decides: Kalshi/Stream/ files use the stream's range, not Kalshi's.</summary>
    private static bool InFolders(string file, string[] folders)
    {
        if (folders.Length == 0)
        {
            return true;
        }

        var path = file.Replace(Path.DirectorySeparatorChar, '/');
        var owner = LogEventRanges.All.SelectMany(r => r.Folders).Where(f => path.StartsWith(f + "/", StringComparison.Ordinal)).MaxBy(f => f.Length);
        return owner is not null && folders.Contains(owner);
    }

    [GeneratedRegex(@"\[LoggerMessage\(EventId = (\d+)")]
    private static partial Regex EventIdPattern();
}
