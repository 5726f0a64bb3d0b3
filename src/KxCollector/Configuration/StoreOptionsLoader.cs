using KxCollector.Configuration;

namespace KxCollector.Configuration;

internal static partial class StoreOptionsLoader
{
    /// <summary>
    /// Reads the store's keys; null when DATABASE_URL is not set. A DATABASE_URL that cannot be read throws when
    /// <paramref name="strictUrl"/> (the db commands, which have nothing else to do) and otherwise is carried as
    /// <see cref="StoreOptions.UrlError"/> so the daemon still records. The other keys are validated like any setting.
    /// </summary>
    public static StoreOptions? Load(SettingsReader reader, bool strictUrl)
    {
        var raw = reader.Raw(SettingKeys.DatabaseUrl);
        if (raw is null)
        {
            return null;
        }

        DatabaseTarget? target = null;
        string? error = null;
        try
        {
            target = DatabaseUrl.Parse(raw);
        }
        catch (ConfigurationException ex) when (!strictUrl)
        {
            error = ex.Message;
        }

        return new StoreOptions
        {
            Target = target,
            UrlError = error,
            CollectorId = LoadCollectorId(reader),
            BatchSize = reader.PositiveInt(SettingKeys.BatchInsertSize, StoreOptions.DefaultBatchSize, 100_000),
            FlushInterval = LoadFlushInterval(reader),
        };
    }

    /// <summary>The host name by default: one collector per machine is the usual layout.</summary>
    public static string DefaultCollectorId()
    {
        var name = Environment.MachineName;
        return NameSyntax.IsCollectorId(name) ? name : "kxcollector";
    }

    private static string LoadCollectorId(SettingsReader reader)
    {
        var id = reader.Raw(SettingKeys.CollectorId);
        if (id is null)
        {
            return DefaultCollectorId();
        }

        return NameSyntax.IsCollectorId(id)
            ? id
            : throw new ConfigurationException(SettingKeys.CollectorId, id, "1 to 64 letters, digits, '.', '_', '-', ':' or '@', starting with a letter or digit");
    }

    private static TimeSpan LoadFlushInterval(SettingsReader reader)
    {
        var interval = reader.PositiveSeconds(SettingKeys.BatchFlushSeconds, StoreOptions.DefaultFlushSeconds, 60);
        return interval >= TimeSpan.FromMilliseconds(100)
            ? interval
            : throw new ConfigurationException(SettingKeys.BatchFlushSeconds, reader.Raw(SettingKeys.BatchFlushSeconds), "a number of seconds from 0.1 to 60");
    }
}
