namespace KxCollector.Configuration;

/// <summary>The database store's settings; present on <see cref="Configuration.CollectorOptions"/> only when DATABASE_URL is set.</summary>
internal sealed class StoreOptions
{
    public const int DefaultBatchSize = 500;
    public const double DefaultFlushSeconds = 2;
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromSeconds(DefaultFlushSeconds);

    /// <summary>Where to connect; null when DATABASE_URL could not be read (see <see cref="UrlError"/>).</summary>
    public DatabaseTarget? Target { get; init; }

    /// <summary>
    /// Why DATABASE_URL is unusable, already free of the password. The daemon reports it and keeps recording JSONL:
    /// the files are the source of truth and a database problem must never stop them.
    /// </summary>
    public string? UrlError { get; init; }

    /// <summary>Names this collector's rows of file positions, health and logs in a database several collectors share.</summary>
    public required string CollectorId { get; init; }

    /// <summary>Rows per transaction (all tables together): a batch is written when it reaches this size…</summary>
    public required int BatchSize { get; init; }

    /// <summary>…or when its oldest line has waited this long.</summary>
    public required TimeSpan FlushInterval { get; init; }
}
