using System.Globalization;

namespace KxCollector.Tests.Support;

/// <summary>
/// What a process holds, read from /proc: open file descriptors, how many of them are sockets, and its thread count.
/// Read from another process's /proc so the figures are the collector's alone, not the test runner's. Assemblies and
/// native libraries the runtime maps as it first needs them are not counted: they are loaded once, not leaked.
/// </summary>
public sealed record ProcessFootprint(int OpenFds, int Sockets, int Threads)
{
    public static ProcessFootprint Read(int pid)
    {
        var fds = 0;
        var sockets = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                // Closed between listing and reading: it no longer counts.
                continue;
            }

            if (IsLibrary(target))
            {
                continue;
            }

            fds++;
            if (target?.StartsWith("socket:", StringComparison.Ordinal) == true)
            {
                sockets++;
            }
        }

        var threads = File.ReadLines($"/proc/{pid}/status")
            .Where(l => l.StartsWith("Threads:", StringComparison.Ordinal))
            .Select(l => int.Parse(l["Threads:".Length..].Trim(), CultureInfo.InvariantCulture))
            .Single();
        return new ProcessFootprint(fds, sockets, threads);
    }

    /// <summary>What each open descriptor points at (a file path, socket:[inode], anon_inode:…), for a failure message.</summary>
    public static List<string> Targets(int pid)
    {
        var targets = new List<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                targets.Add(new FileInfo(fd).LinkTarget ?? "?");
            }
            catch (IOException)
            {
            }
        }

        targets.Sort(StringComparer.Ordinal);
        return targets;
    }

    private static bool IsLibrary(string? target) =>
        target is not null && (target.EndsWith(".dll", StringComparison.Ordinal) || target.Contains(".so", StringComparison.Ordinal));

    public override string ToString() => $"{OpenFds} fds ({Sockets} sockets), {Threads} threads";
}
