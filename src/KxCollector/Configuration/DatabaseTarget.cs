using Npgsql;

namespace KxCollector.Configuration;

/// <summary>
/// Where the store connects, parsed from DATABASE_URL. The connection string holds the password, so it is only
/// ever handed to Npgsql; logs and errors use <see cref="Description"/> and pass any text through <see cref="Redact"/>.
/// </summary>
internal sealed class DatabaseTarget
{
    private readonly NpgsqlConnectionStringBuilder _builder;
    private readonly string? _password;

    public DatabaseTarget(NpgsqlConnectionStringBuilder builder)
    {
        _builder = builder;
        _password = string.IsNullOrEmpty(builder.Password) ? null : builder.Password;
    }

    public string Host => _builder.Host ?? string.Empty;

    public int Port => _builder.Port;

    public string Database => _builder.Database ?? string.Empty;

    public string Username => _builder.Username ?? string.Empty;

    /// <summary>host:port/database as user — what logs and errors show; never the password.</summary>
    public string Description => $"{Host}:{Port}/{Database} as {Username}";

    /// <summary>Only for Npgsql (and tests that inspect the settings): it contains the password.</summary>
    internal NpgsqlConnectionStringBuilder Settings => _builder;

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(_builder.ConnectionString);

    /// <summary>Replaces the password wherever it appears (a driver message, an echoed setting) with ***.</summary>
    public string Redact(string text) => DatabaseUrl.RedactSecret(text, _password);
}
