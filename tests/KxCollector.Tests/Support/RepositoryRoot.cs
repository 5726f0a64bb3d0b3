namespace KxCollector.Tests.Support;

/// <summary>The checkout the tests were built from: where botctl, healthcheck.sh and deploy/ live.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "botctl")) && File.Exists(System.IO.Path.Combine(dir.FullName, "KxCollector.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("the repository root (botctl beside KxCollector.sln) was not found above " + AppContext.BaseDirectory);
    });

    public static string Path => Root.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
