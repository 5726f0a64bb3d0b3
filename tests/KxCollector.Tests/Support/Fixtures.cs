namespace KxCollector.Tests.Support;

/// <summary>
/// The repository's test fixtures (tests/fixtures): the captured Kalshi responses and the venues' frames that every
/// parser and fake is tested against. They live in the repository so that a clone alone runs the suite.
/// </summary>
public static class Fixtures
{
    public static string Path(params string[] parts) => RepositoryRoot.Combine(["tests", "fixtures", .. parts]);

    /// <summary>The lines of a frames file (one WebSocket message per line).</summary>
    public static IReadOnlyList<string> Frames(string venue) =>
        File.ReadAllLines(Path("frames", venue + ".jsonl")).Where(l => l.Length > 0).ToArray();

    /// <summary>A file of this repository (e.g. ".env.example").</summary>
    public static string RepositoryFile(string name)
    {
        var path = RepositoryRoot.Combine(name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{name} not found in the repository root {RepositoryRoot.Path}");
    }
}
