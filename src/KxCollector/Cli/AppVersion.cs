using System.Reflection;

namespace KxCollector.Cli;

internal static class AppVersion
{
    /// <summary>The informational version (with the commit when the SDK stamps one), for status reports and support.</summary>
    public static string Value { get; } =
        typeof(AppVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
