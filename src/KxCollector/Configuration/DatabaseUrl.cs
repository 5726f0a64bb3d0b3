using System.Globalization;
using System.Text.RegularExpressions;
using KxCollector.Configuration;
using Npgsql;

namespace KxCollector.Configuration;

/// <summary>
/// Reads DATABASE_URL: a <c>postgres://user:pass@host:port/db?sslmode=require</c> URI (what Supabase shows) or an
/// Npgsql connection string (<c>Host=…;Username=…</c>). Every error is a <see cref="ConfigurationException"/> naming
/// DATABASE_URL whose message never contains the password (nor the raw value, which holds it).
/// </summary>
internal static partial class DatabaseUrl
{
    public const string DefaultApplicationName = "kxcollector";

    /// <summary>The store uses one connection at a time; a small pool keeps a shared database's connection budget.</summary>
    public const int DefaultMaxPoolSize = 4;

    /// <summary>COPY of a large batch over a slow link can take a while; Npgsql's 30 s default is tight for that.</summary>
    public const int DefaultCommandTimeoutSeconds = 120;

    private static readonly string[] KnownUriParameters =
        ["sslmode", "connect_timeout", "application_name", "sslrootcert", "target_session_attrs", "channel_binding", "options", "pgbouncer"];

    public static DatabaseTarget Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = raw.Trim();
        if (text.Length == 0)
        {
            throw Error("empty; expected a postgres:// URL or an Npgsql connection string", null);
        }

        var isUri = UriScheme().IsMatch(text);
        var builder = isUri ? FromUri(text) : FromConnectionString(text);
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw Error("no host given", builder.Password);
        }

        ApplyPoolerSafeSettings(builder, isUri ? [] : KeysGiven(text));
        return new DatabaseTarget(builder);
    }

    /// <summary>
    /// Settings that make every connection safe behind Supabase's transaction pooler (Supavisor, PgBouncer in
    /// transaction mode), where consecutive transactions may run on different server sessions:
    /// no server-side prepared statements, and no reset of session state we never create.
    /// </summary>
    /// <param name="given">Keywords the user wrote (lower case, no spaces): their values are kept.</param>
    internal static void ApplyPoolerSafeSettings(NpgsqlConnectionStringBuilder builder, IReadOnlySet<string> given)
    {
        builder.MaxAutoPrepare = 0;
        builder.NoResetOnClose = true;
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = DefaultApplicationName;
        }

        if (!given.Contains("commandtimeout"))
        {
            builder.CommandTimeout = DefaultCommandTimeoutSeconds;
        }

        if (!given.Contains("maxpoolsize") && !given.Contains("maximumpoolsize"))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }
    }

    internal static string RedactSecret(string text, string? secret) =>
        string.IsNullOrEmpty(secret) ? text : text.Replace(secret, "***", StringComparison.Ordinal);

    private static NpgsqlConnectionStringBuilder FromUri(string text)
    {
        var rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];

        // The password may hold unescaped '/', '?', '#' or '@' (generated passwords often do); the host cannot
        // hold '@', so the last '@' ends the user part.
        string? userInfo = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            userInfo = rest[..at];
            rest = rest[(at + 1)..];
        }

        string? user = null;
        string? password = null;
        if (userInfo is not null)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Unescape(colon >= 0 ? userInfo[..colon] : userInfo);
            password = colon >= 0 ? Unescape(userInfo[(colon + 1)..]) : null;
        }

        string? query = null;
        var questionMark = rest.IndexOf('?', StringComparison.Ordinal);
        if (questionMark >= 0)
        {
            query = rest[(questionMark + 1)..];
            rest = rest[..questionMark];
        }

        string? database = null;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            database = Unescape(rest[(slash + 1)..]);
            rest = rest[..slash];
        }

        var builder = new NpgsqlConnectionStringBuilder();
        SetHostAndPort(builder, rest, password);
        builder.Username = string.IsNullOrEmpty(user) ? null : user;
        builder.Password = string.IsNullOrEmpty(password) ? null : password;
        builder.Database = string.IsNullOrEmpty(database) ? "postgres" : database;
        if (query is not null)
        {
            ApplyQuery(builder, query, password);
        }

        return builder;
    }

    private static void SetHostAndPort(NpgsqlConnectionStringBuilder builder, string hostPort, string? password)
    {
        if (hostPort.Length == 0)
        {
            throw Error("no host given (expected postgres://user:password@host:port/database)", password);
        }

        if (hostPort.Contains(',', StringComparison.Ordinal))
        {
            // Several hosts (host1:5432,host2:5432): Npgsql reads the same list syntax.
            builder.Host = hostPort;
            return;
        }

        string host;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error("the IPv6 host lacks its closing ']'", password);
            }

            host = hostPort[1..close];
            var after = hostPort[(close + 1)..];
            if (after.Length > 0)
            {
                port = after.StartsWith(':') ? after[1..] : throw Error("the text after the IPv6 host is not a :port", password);
            }
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            host = colon >= 0 ? hostPort[..colon] : hostPort;
            port = colon >= 0 ? hostPort[(colon + 1)..] : null;
        }

        if (host.Length == 0)
        {
            throw Error("no host given", password);
        }

        builder.Host = Unescape(host);
        if (!string.IsNullOrEmpty(port))
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                throw Error("the port is not a number from 1 to 65535", password);
            }

            builder.Port = number;
        }
    }

    private static void ApplyQuery(NpgsqlConnectionStringBuilder builder, string query, string? password)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Unescape(equals >= 0 ? pair[..equals] : pair).ToLowerInvariant();
            var value = equals >= 0 ? Unescape(pair[(equals + 1)..]) : string.Empty;
            switch (name)
            {
                case "sslmode":
                    builder.SslMode = value.ToLowerInvariant() switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw Error($"sslmode='{Redact(value, password)}' is not valid; expected disable, allow, prefer, require, verify-ca or verify-full", password),
                    };
                    break;
                case "connect_timeout":
                    builder.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 1024
                        ? seconds
                        : throw Error("connect_timeout is not a number of seconds from 1 to 1024", password);
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                case "sslrootcert":
                    builder.RootCertificate = value;
                    break;
                case "target_session_attrs":
                    builder.TargetSessionAttributes = value;
                    break;
                case "channel_binding":
                    builder.ChannelBinding = value.ToLowerInvariant() switch
                    {
                        "disable" => ChannelBinding.Disable,
                        "prefer" => ChannelBinding.Prefer,
                        "require" => ChannelBinding.Require,
                        _ => throw Error("channel_binding is not disable, prefer or require", password),
                    };
                    break;
                case "options":
                    builder.Options = value;
                    break;
                case "pgbouncer":
                    // Prisma's flag, shown in some Supabase pages. Every connection here is already pooler-safe.
                    break;
                default:
                    throw Error($"unknown parameter '{Redact(name, password)}' (known: {string.Join(", ", KnownUriParameters)})", password);
            }
        }
    }

    private static NpgsqlConnectionStringBuilder FromConnectionString(string text)
    {
        if (!text.Contains('=', StringComparison.Ordinal))
        {
            throw Error("neither a postgres:// URL nor an Npgsql connection string (Host=…;Username=…)", null);
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The driver's message names the bad keyword; scrub the password in case it echoes a value.
            var secret = PasswordInConnectionString().Match(text) is { Success: true } m ? m.Groups[1].Value.Trim() : null;
            throw Error($"not a valid Npgsql connection string ({Redact(ex.Message, secret)})", secret);
        }
    }

    private static HashSet<string> KeysGiven(string connectionString)
    {
        var raw = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return raw.Keys.Cast<string>().Select(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
    }

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    private static string Redact(string text, string? secret) => RedactSecret(text, secret);

    private static ConfigurationException Error(string problem, string? password) =>
        new(SettingKeys.DatabaseUrl, Redact(problem, password), (Exception?)null);

    [GeneratedRegex("^postgres(ql)?://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UriScheme();

    [GeneratedRegex(@"(?:^|;)\s*(?:password|pwd)\s*=\s*([^;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordInConnectionString();
}
