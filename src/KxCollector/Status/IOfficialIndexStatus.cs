namespace KxCollector.Status;

/// <summary>
/// The official index (CF Benchmarks' BRTI as Kalshi streams it) as far as monitoring needs it: when its latest print
/// was stamped. An interface here because Status sits below Kalshi: <c>Kalshi/Index</c> registers one
/// <c>OfficialIndexPrintAge</c> per index of OFFICIAL_INDEX_MAP, and /metrics reports
/// <c>kxcollector_official_index_age_seconds{index=…}</c> from them; with none registered, or before the first print,
/// that series is absent (never a made-up 0).
/// </summary>
internal interface IOfficialIndexStatus
{
    /// <summary>The index id as the record lines write it, e.g. "BRTI".</summary>
    string IndexId { get; }

    /// <summary>The print second (CF's data.time) of the latest print received; null before the first one.</summary>
    DateTimeOffset? LastPrintAt { get; }
}
