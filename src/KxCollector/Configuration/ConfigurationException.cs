namespace KxCollector.Configuration;

/// <summary>
/// A configuration value that cannot be used. Its message is one line naming the key, the value and what was
/// expected; start-up prints it and exits with <see cref="Cli.ExitCodes.Config"/>.
/// </summary>
internal sealed class ConfigurationException : Exception
{
    public ConfigurationException(string key, string? value, string expected)
        : base(Describe(key, value, expected))
    {
        Key = key;
    }

    public ConfigurationException(string key, string message, Exception? inner)
        : base($"{key}: {message}", inner)
    {
        Key = key;
    }

    public ConfigurationException()
    {
        Key = string.Empty;
    }

    public ConfigurationException(string message)
        : base(message)
    {
        Key = string.Empty;
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = string.Empty;
    }

    public string Key { get; }

    private static string Describe(string key, string? value, string expected) =>
        value is null ? $"{key} is missing; expected {expected}" : $"{key}='{value}' is not valid; expected {expected}";
}
