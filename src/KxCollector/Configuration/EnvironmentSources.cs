using System.Collections;

namespace KxCollector.Configuration;

/// <summary>
/// Merges the .env file and the process environment into one flat map. Real environment variables win, so a
/// systemd unit or a shell can override any line of .env without editing it.
/// </summary>
internal static class EnvironmentSources
{
    public const string DefaultEnvFileName = ".env";

    /// <param name="envFilePath">The --env-file value; when null, ".env" in the working directory is read if it exists.</param>
    /// <param name="workingDirectory">Where a relative path and the default .env are looked for.</param>
    /// <param name="processEnvironment">Usually <see cref="Environment.GetEnvironmentVariables()"/>.</param>
    public static Dictionary<string, string> Merge(string? envFilePath, string workingDirectory, IDictionary processEnvironment)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);

        var path = envFilePath is null
            ? Path.Combine(workingDirectory, DefaultEnvFileName)
            : Path.GetFullPath(envFilePath, workingDirectory);

        if (File.Exists(path))
        {
            try
            {
                // NoEnvVars: parse only; the process environment is not touched, so tests can load side by side.
                foreach (var pair in DotNetEnv.Env.NoEnvVars().Load(path))
                {
                    merged[pair.Key] = pair.Value;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or FormatException or InvalidOperationException)
            {
                throw new ConfigurationException("--env-file", path, $"a readable .env file of KEY=value lines ({ex.Message})");
            }
        }
        else if (envFilePath is not null)
        {
            throw new ConfigurationException("--env-file", envFilePath, "an existing .env file");
        }

        foreach (DictionaryEntry entry in processEnvironment)
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                merged[key] = value;
            }
        }

        return merged;
    }
}
