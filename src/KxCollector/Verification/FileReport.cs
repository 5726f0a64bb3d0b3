namespace KxCollector.Verification;

/// <summary>What <see cref="DataFileVerifier"/> found in one data file. Serialised as-is by `verify --json`.</summary>
internal sealed class FileReport
{
    public required string Path { get; init; }

    /// <summary>The UTC day the file name says it holds, when it follows the &lt;prefix&gt;-YYYY-MM-DD naming.</summary>
    public DateOnly? Day { get; init; }

    public long Lines { get; set; }

    public long Ticks { get; set; }

    /// <summary>Records marked "src":"backfill" are reconstructed, not recorded; they are counted apart.</summary>
    public long BackfilledRecords { get; set; }

    /// <summary>The backfilled records by type (market, trade, candle, settlement).</summary>
    public SortedDictionary<string, long> BackfilledByType { get; } = new(StringComparer.Ordinal);

    /// <summary>Backfilled markets, trades or candles whose key (ticker; trade_id; ticker + interval + end) appears again.</summary>
    public long BackfillDuplicates { get; set; }

    public long Settlements { get; set; }

    /// <summary>Trade lines recorded from the stream (backfilled trades are in <see cref="BackfilledByType"/>).</summary>
    public long Trades { get; set; }

    /// <summary>Lifecycle lines recorded from the stream (opened, closed, determined, settled…).</summary>
    public long LifecycleEvents { get; set; }

    /// <summary>Recorded trade lines whose trade_id appeared before in the file (the stream writes each trade once).</summary>
    public long RepeatedTrades { get; set; }

    public DateTimeOffset? FirstTick { get; set; }

    public DateTimeOffset? LastTick { get; set; }

    /// <summary>Seconds between the first and last tick that have no tick.</summary>
    public long MissingSeconds { get; set; }

    public List<Gap> LongestGaps { get; } = [];

    /// <summary>Every gap, in time order (only the longest are printed or serialised).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public List<Gap> AllGaps { get; } = [];

    public long DuplicatedSeconds { get; set; }

    /// <summary>Ticks whose UTC date is not the file's day (a rotation fault).</summary>
    public long TicksInWrongFile { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("ticks_off_over_50ms")]
    public long TicksOffOver50Ms { get; set; }

    public double? OffsetP50Ms { get; set; }

    public double? OffsetP99Ms { get; set; }

    public double? OffsetMaxMs { get; set; }

    public long UnparseableLineCount { get; set; }

    /// <summary>1-based line numbers of unparseable lines (the first 100).</summary>
    public List<long> UnparseableLines { get; } = [];

    public long BrtiNullSeconds { get; set; }

    public Dictionary<string, long> ExchangeNulls { get; } = new(StringComparer.Ordinal)
    {
        ["coinbase"] = 0,
        ["kraken"] = 0,
        ["bitstamp"] = 0,
    };

    /// <summary>Game lines (the game beside the market, written when its live data changed).</summary>
    public long GameLines { get; set; }

    /// <summary>Distinct games (milestones) with game lines.</summary>
    public long Games { get; set; }

    /// <summary>Stretches of a game, between two of its lines, longer than three game poll intervals (reported, not a problem).</summary>
    public long GameSilenceCount { get; set; }

    public List<GameSilence> LongestGameSilences { get; } = [];

    /// <summary>Markets seen in ticks whose settlement is not in this file (still open, or settled on a later day).</summary>
    public List<string> MarketsWithoutSettlement { get; } = [];

    /// <summary>
    /// Settlement lines of BRTI series whose expiration_value is at most <see cref="DataFileVerifier.PlausibleIndexFloor"/>:
    /// not an index value (builds before issue 12 took the stream's payout, 1 dollar, for it). Tickers, in file order.
    /// </summary>
    public List<string> ImplausibleExpirationValues { get; } = [];

    /// <summary>Of those, the ones a backfilled market record (in any file verified with this one) corrects.</summary>
    public List<string> ImplausibleCorrectedByBackfill { get; } = [];

    /// <summary>Backfilled market records of BRTI series with a plausible expiration_value: they correct the lines above.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public HashSet<string> PlausibleBackfilledMarkets { get; } = new(StringComparer.Ordinal);

    /// <summary>What makes this file fail verification; empty when clean.</summary>
    public List<string> Problems { get; } = [];

    public bool Clean => Problems.Count == 0;
}

internal sealed record Gap(DateTimeOffset From, DateTimeOffset To, long Seconds);
