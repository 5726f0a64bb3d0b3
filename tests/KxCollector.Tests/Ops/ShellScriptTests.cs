using KxCollector.Tests.Support;

namespace KxCollector.Tests.Ops;

public sealed class ShellScriptTests
{
    [Theory]
    [InlineData("botctl")]
    [InlineData("healthcheck.sh")]
    [InlineData("tests/systemd/setup-user-manager.sh")]
    public async Task Script_passes_shellcheck(string script)
    {
        var result = await Shell.RunAsync("shellcheck", ["--severity=style", RepositoryRoot.Combine(script.Split('/'))]);

        result.ExitCode.Should().Be(0, result.ToString());
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
