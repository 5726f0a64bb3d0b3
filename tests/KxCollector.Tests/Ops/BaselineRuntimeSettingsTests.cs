using System.Xml.Linq;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Ops;

/// <summary>
/// bench/compare.sh reports the daemon's CPU and memory as ratios against bench/Baseline, which is only a fair
/// reference while it runs under the daemon's runtime settings (issue 15). A setting added to one project and not the
/// other would move the ratio without any change in the daemon's own work, so the two project files must agree on
/// every property and runtime option that reaches the runtime.
/// </summary>
public sealed class BaselineRuntimeSettingsTests
{
    // The MSBuild properties that end up in runtimeconfig.json (GC, tiering, JIT, threading, globalization).
    private static readonly string[] RuntimeProperties =
    [
        "ServerGarbageCollection", "ConcurrentGarbageCollection", "RetainVMGarbageCollection", "TieredCompilation",
        "TieredCompilationQuickJit", "TieredCompilationQuickJitForLoops", "TieredPGO", "AutoreleasePoolSupport",
        "ThreadPoolMinThreads", "ThreadPoolMaxThreads", "UseSystemResourceKeys", "InvariantGlobalization",
        "GarbageCollectionAdaptationMode",
    ];

    [Fact]
    public void The_baseline_runs_under_the_daemon_s_runtime_settings()
    {
        var daemon = RuntimeSettings(RepositoryRoot.Combine("src", "KxCollector", "KxCollector.csproj"));
        var baseline = RuntimeSettings(RepositoryRoot.Combine("bench", "Baseline", "Baseline.csproj"));

        daemon.Should().ContainKey("TieredPGO", "the check must see the daemon's settings at all");
        baseline.Should().Equal(daemon, "bench/Baseline is the daemon's reference only under the same runtime settings");
    }

    [Fact]
    public void A_setting_in_one_project_only_is_seen()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kx-settings-{Guid.NewGuid():N}.csproj");
        File.WriteAllText(path, """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TieredPGO>false</TieredPGO><TieredCompilationQuickJit>false</TieredCompilationQuickJit></PropertyGroup>
              <ItemGroup><RuntimeHostConfigurationOption Include="System.Threading.ThreadPool.UnfairSemaphoreSpinLimit" Value="0" /></ItemGroup>
            </Project>
            """);
        try
        {
            RuntimeSettings(path).Should().Equal(new Dictionary<string, string>
            {
                ["TieredPGO"] = "false",
                ["TieredCompilationQuickJit"] = "false",
                ["option:System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"] = "0",
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Directory.Build.props applies to both projects alike, so each project file is compared alone.</summary>
    private static Dictionary<string, string> RuntimeSettings(string projectPath)
    {
        var project = XDocument.Load(projectPath);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in project.Descendants().Where(e => RuntimeProperties.Contains(e.Name.LocalName)))
        {
            // Only unconditional groups: a PublishAot-only group does not apply to the JIT builds compare.sh runs.
            if (property.Parent?.Attribute("Condition") is null)
            {
                settings[property.Name.LocalName] = property.Value.Trim();
            }
        }

        foreach (var option in project.Descendants("RuntimeHostConfigurationOption"))
        {
            settings["option:" + (string?)option.Attribute("Include")] = ((string?)option.Attribute("Value") ?? string.Empty).Trim();
        }

        return settings;
    }
}
