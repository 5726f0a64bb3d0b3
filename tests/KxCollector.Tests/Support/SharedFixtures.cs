namespace KxCollector.Tests.Support;

/// <summary>
/// Finds ../shared/fixtures from the test binaries: the captured Kalshi responses and the venues' frames that
/// DEVELOPERS.md asks every parser and fake to be tested against.
/// </summary>
public static class SharedFixtures
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    /// <summary>The lines of a frames file (one WebSocket message per line).</summary>
    public static IReadOnlyList<string> Frames(string venue) =>
        File.ReadAllLines(Path("frames", venue + ".jsonl")).Where(l => l.Length > 0).ToArray();

    /// <summary>A file of this repository (e.g. ".env.example"), found upwards from the test binaries.</summary>
    public static string RepositoryFile(string name)
    {
        var path = RepositoryRoot.Combine(name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{name} not found in the repository root {RepositoryRoot.Path}");
    }

    private static string Locate()
    {
        var override_ = Environment.GetEnvironmentVariable("KX_SHARED_FIXTURES");
        if (!string.IsNullOrEmpty(override_))
        {
            return override_;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/fixtures not found beside the repository (set KX_SHARED_FIXTURES)");
    }
}
