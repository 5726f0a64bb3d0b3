using KxCollector.Configuration;
using KxCollector.Hosting;
using KxCollector.Cli;

namespace KxCollector.Store.Cli;

/// <summary>What the db commands share: reading DATABASE_URL strictly, and turning failures into a line and an exit code.</summary>
internal static class DbSession
{
    /// <summary>The store settings, or null after printing why not (the exit code is then <see cref="ExitCodes.Config"/>).</summary>
    public static async Task<StoreOptions?> LoadAsync(string command, string? envFile, TextWriter errors)
    {
        try
        {
            var settings = EnvironmentSources.Merge(envFile, Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariables());
            var store = StoreOptionsLoader.Load(new SettingsReader(settings), strictUrl: true);
            if (store?.Target is null)
            {
                await errors.WriteLineAsync($"kxcollector {command}: DATABASE_URL is not set; expected a postgres:// URL or an Npgsql connection string");
                return null;
            }

            return store;
        }
        catch (ConfigurationException ex)
        {
            await errors.WriteLineAsync($"kxcollector {command}: configuration error: {ex.Message}");
            return null;
        }
    }

    /// <summary>Prints a database failure without the password; a refused login is a configuration error, an unreachable server is EX_UNAVAILABLE.</summary>
    public static async Task<int> FailAsync(string command, Exception ex, DatabaseTarget target, TextWriter errors)
    {
        await errors.WriteLineAsync($"kxcollector {command}: {DatabaseErrors.Describe(ex, target)}");
        return DatabaseErrors.IsLoginProblem(ex) ? ExitCodes.Config : ExitCodes.Unavailable;
    }
}
