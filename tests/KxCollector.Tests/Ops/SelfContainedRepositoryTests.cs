using System.Text.RegularExpressions;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Ops;

/// <summary>
/// A user's clone holds only the repository: the fixtures and venue facts were handed over in a folder beside the
/// checkout, and nothing may still read or cite that folder. (CI also runs the whole suite with it masked.)
/// </summary>
public sealed partial class SelfContainedRepositoryTests
{
    // Built from parts so that this file does not match itself.
    private static readonly string OutsideFolder = string.Concat("..", "/", "shared");

    [Fact]
    public void No_file_of_the_repository_cites_a_folder_beside_it()
    {
        // .ci/run names the folder only to mask it while the suite runs.
        var masker = RepositoryRoot.Combine(".ci", "run");
        var offenders = RepositoryTextFiles()
            .Where(path => path != masker)
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, index)))
            .Where(x => x.line.Contains(OutsideFolder, StringComparison.Ordinal) || SharedPath().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(RepositoryRoot.Path, x.path)}:{x.index + 1}: {x.line.Trim()}")
            .ToList();

        offenders.Should().BeEmpty("the repository must stand alone; copy what it needs into tests/fixtures or docs");
    }

    [Fact]
    public void The_fixtures_and_venue_facts_are_in_the_repository()
    {
        File.Exists(RepositoryRoot.Combine("docs", "venues.md")).Should().BeTrue();
        Fixtures.Frames("kalshi-ws").Should().NotBeEmpty();
        Directory.GetFiles(Fixtures.Path("kalshi"), "*.json").Should().HaveCountGreaterThanOrEqualTo(5);
    }

    private static IEnumerable<string> RepositoryTextFiles()
    {
        string[] skipped = [".git", "bin", "obj", "TestResults", "BenchmarkDotNet.Artifacts", "data"];
        string[] extensions = [".cs", ".csproj", ".props", ".md", ".sh", ".json", ".jsonl", ".service", ".example", ".txt", ".yml", ".yaml", ""];
        var pending = new Stack<string>([RepositoryRoot.Path]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                if (!skipped.Contains(Path.GetFileName(sub)))
                {
                    pending.Push(sub);
                }
            }

            foreach (var file in Directory.EnumerateFiles(dir))
            {
                if (extensions.Contains(Path.GetExtension(file)) && new FileInfo(file).Length < 4_000_000)
                {
                    yield return file;
                }
            }
        }
    }

    // The handed-over folder's fixtures or docs named as a path, not as part of a longer word.
    [GeneratedRegex(@"(?<![\w.-])shared/(fixtures|docs)\b")]
    private static partial Regex SharedPath();
}
