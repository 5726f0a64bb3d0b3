using KxCollector.Tests.Support;

namespace KxCollector.Tests.Ops;

public sealed class ShellScriptTests
{
    /// <summary>
    /// Every shell script in the repository, found rather than listed, so a new one is linted from its first commit:
    /// a *.sh file or a file whose first line is a sh/bash shebang, outside build output and git's own folder.
    /// </summary>
    public static TheoryData<string> Scripts()
    {
        var root = RepositoryRoot.Combine();
        var skipped = new[] { ".git", "bin", "obj", "node_modules" };
        var scripts = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => skipped.Contains(part)) || !IsShellScript(file))
            {
                continue;
            }

            scripts.Add(relative.Replace(Path.DirectorySeparatorChar, '/'));
        }

        return scripts;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_passes_shellcheck(string script)
    {
        var result = await Shell.RunAsync("shellcheck", ["--severity=style", RepositoryRoot.Combine(script.Split('/'))]);

        result.ExitCode.Should().Be(0, result.ToString());
    }

    [Fact]
    public void The_scripts_found_include_every_kind_the_repository_has()
    {
        ((IEnumerable<object[]>)Scripts()).Select(row => (string)row[0]).Should().Contain(
            ["botctl", "healthcheck.sh", "tests/systemd/setup-user-manager.sh", ".ci/run", ".ci/setup.d/50-postgresql.sh", ".ci/setup.d/systemd.sh", "bench/soak.sh", "bench/store-bench.sh", "bench/compare.sh"]);
    }

    private static bool IsShellScript(string file)
    {
        if (file.EndsWith(".sh", StringComparison.Ordinal))
        {
            return true;
        }

        using var reader = new StreamReader(file);
        var buffer = new char[64];
        var count = reader.ReadBlock(buffer, 0, buffer.Length);
        var first = new string(buffer, 0, count).Split('\n')[0];
        return first.StartsWith("#!", StringComparison.Ordinal) &&
            (first.EndsWith("/sh", StringComparison.Ordinal) || first.Contains("bash", StringComparison.Ordinal) || first.EndsWith(" sh", StringComparison.Ordinal));
    }

    /// <summary>
    /// bench/compare.sh takes half an hour and Node, so CI only checks that it parses, documents its settings, and
    /// refuses a bad argument before it publishes or starts anything.
    /// </summary>
    [Fact]
    public async Task Compare_script_parses_prints_its_settings_and_refuses_a_bad_argument_before_starting_anything()
    {
        var script = RepositoryRoot.Combine("bench", "compare.sh");
        (await Shell.RunAsync("bash", ["-n", script])).ExitCode.Should().Be(0);

        var help = await Shell.RunAsync("bash", [script, "--help"]);
        help.ExitCode.Should().Be(0, help.ToString());
        foreach (var setting in new[] { "COMPARE_WARMUP", "COMPARE_IDLE_WARMUP", "COMPARE_RATES", "COMPARE_POOL", "COMPARE_NATIVE", "COMPARE_SCALE", "SCALE_RATE", "SCALE_MAX_MARKETS", "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS" })
        {
            help.StandardError.Should().Contain(setting);
        }

        var refused = await Shell.RunAsync("bash", [script, "soon"]);
        refused.ExitCode.Should().Be(2, refused.ToString());
        refused.StandardError.Should().Contain("not a positive whole number: 'soon'").And.NotContain("publishing");

        var idle = await Shell.RunAsync("bash", [script, "30"], new Dictionary<string, string?> { ["COMPARE_IDLE_WARMUP"] = "5m" });
        idle.ExitCode.Should().Be(2, idle.ToString());
        idle.StandardError.Should().Contain("COMPARE_IDLE_WARMUP is not a whole number: '5m'").And.NotContain("publishing");
    }

    /// <summary>bench/variants.sh runs for minutes; CI checks its help and that it refuses bad variants before it publishes.</summary>
    [Fact]
    public async Task Variants_script_prints_its_usage_and_refuses_a_bad_variant_before_starting_anything()
    {
        var script = RepositoryRoot.Combine("bench", "variants.sh");

        var help = await Shell.RunAsync("bash", [script, "--help"]);
        help.ExitCode.Should().Be(0, help.ToString());
        help.StandardError.Should().Contain("PROGRAM:NAME[=SETTING,SETTING...]").And.Contain("KX_BENCH_PUBLISHED");

        foreach (var (args, message) in new[]
        {
            (new[] { "50", "10", "10", "daemon:ok", "nobody:x" }, "'nobody:x': expected daemon:NAME"),
            (new[] { "50", "10", "10", "daemon:ok=DOTNET_TC_QuickJit" }, "'DOTNET_TC_QuickJit' is not NAME=VALUE"),
            (new[] { "fast", "10", "10", "daemon:ok" }, "must be whole numbers, not 'fast'"),
        })
        {
            var refused = await Shell.RunAsync("bash", [script, .. args]);
            refused.ExitCode.Should().Be(2, refused.ToString());
            refused.StandardError.Should().Contain(message).And.NotContain("using the published").And.NotContain("variants at");
        }
    }

    [Fact]
    public async Task Botctl_help_lists_every_command()
    {
        var result = await Shell.RunAsync(RepositoryRoot.Combine("botctl"), ["help"]);

        result.ExitCode.Should().Be(0);
        foreach (var command in new[] { "install", "uninstall", "start", "stop", "restart", "logs", "status" })
        {
            result.StandardOutput.Should().Contain($"\n  {command}");
        }
    }

    [Fact]
    public async Task Botctl_refuses_an_unknown_command_with_usage_and_exit_2()
    {
        var result = await Shell.RunAsync(RepositoryRoot.Combine("botctl"), ["frobnicate"]);

        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain("usage: ./botctl COMMAND");
    }
}
