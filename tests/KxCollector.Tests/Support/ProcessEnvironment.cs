namespace KxCollector.Tests.Support;

/// <summary>The environment a running process was started with, from /proc/PID/environ (NUL-separated).</summary>
internal static class ProcessEnvironment
{
    public static IReadOnlyList<string> Of(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
}
