namespace KxCollector.Store.Ingest;

/// <summary>
/// A target table and the staging table a batch is copied into first. Staging tables are temporary and dropped at
/// COMMIT, so nothing outlives the transaction: through a transaction pooler the next transaction may run on another
/// server session, and a session-long temp table would not be there.
/// </summary>
internal sealed class StageTable
{
    public StageTable(string target, string conflict, params (string Name, string Type)[] columns)
    {
        Target = target;
        var names = string.Join(", ", columns.Select(c => c.Name));
        var stage = "stage_" + target;
        CreateSql = $"CREATE TEMP TABLE {stage} ({string.Join(", ", columns.Select(c => $"{c.Name} {c.Type}"))}) ON COMMIT DROP";
        CopySql = $"COPY {stage} ({names}) FROM STDIN (FORMAT BINARY)";
        InsertSql = $"INSERT INTO {target} AS t ({names}) SELECT {names} FROM {stage} {conflict}";
    }

    public string Target { get; }

    public string CreateSql { get; }

    public string CopySql { get; }

    public string InsertSql { get; }

    public static readonly StageTable IndexTicks = new(
        "index_ticks",
        "ON CONFLICT DO NOTHING",
        ("timestamp", "timestamptz"), ("series_ticker", "text"), ("brti", "numeric"), ("coinbase", "numeric"), ("kraken", "numeric"), ("bitstamp", "numeric"),
        ("official_index", "numeric"), ("official_index_ts", "timestamptz"));

    public static readonly StageTable Snapshots = new(
        "market_snapshots",
        "ON CONFLICT DO NOTHING",
        ("market_ticker", "text"), ("timestamp", "timestamptz"), ("status", "text"), ("yes_bid", "numeric"), ("yes_ask", "numeric"),
        ("no_bid", "numeric"), ("no_ask", "numeric"), ("last_price", "numeric"), ("volume", "numeric"), ("open_interest", "numeric"),
        ("strike", "numeric"), ("secs_left", "integer"), ("age_ms", "integer"), ("src", "text"));

    public static readonly StageTable Depth = new(
        "orderbook_depth",
        "ON CONFLICT DO NOTHING",
        ("market_ticker", "text"), ("timestamp", "timestamptz"), ("yes_book", "jsonb"), ("no_book", "jsonb"));

    public static readonly StageTable Trades = new(
        "trades",
        "ON CONFLICT DO NOTHING",
        ("trade_id", "text"), ("market_ticker", "text"), ("timestamp", "timestamptz"), ("yes_price", "numeric"), ("no_price", "numeric"),
        ("count", "numeric"), ("taker_side", "text"), ("src", "text"));

    public static readonly StageTable Settlements = new(
        "settlements",
        "ON CONFLICT DO NOTHING",
        ("market_ticker", "text"), ("timestamp", "timestamptz"), ("close_time", "timestamptz"), ("result", "text"),
        ("expiration_value", "numeric"), ("strike", "numeric"), ("brti_avg60", "numeric"), ("brti_samples", "integer"), ("src", "text"),
        ("official_avg60", "numeric"), ("official_samples", "integer"), ("kalshi_avg60", "numeric"), ("kalshi_avg60_window_size", "integer"),
        ("kalshi_avg60_window_start", "timestamptz"), ("kalshi_avg60_window_end", "timestamptz"));

    public static readonly StageTable IndexPrints = new(
        "official_index_prints",
        "ON CONFLICT DO NOTHING",
        ("index_id", "text"), ("timestamp", "timestamptz"), ("value", "numeric"), ("received_at", "timestamptz"));

    public static readonly StageTable Lifecycle = new(
        "market_lifecycle",
        "ON CONFLICT DO NOTHING",
        ("market_ticker", "text"), ("timestamp", "timestamptz"), ("event", "text"), ("details", "jsonb"), ("src", "text"));

    public static readonly StageTable Candles = new(
        "historical_prices",
        "ON CONFLICT DO NOTHING",
        ("market_ticker", "text"), ("period_interval", "integer"), ("end_period_ts", "timestamptz"),
        ("yes_bid_open", "numeric"), ("yes_bid_high", "numeric"), ("yes_bid_low", "numeric"), ("yes_bid_close", "numeric"),
        ("yes_ask_open", "numeric"), ("yes_ask_high", "numeric"), ("yes_ask_low", "numeric"), ("yes_ask_close", "numeric"),
        ("price_open", "numeric"), ("price_high", "numeric"), ("price_low", "numeric"), ("price_close", "numeric"), ("price_mean", "numeric"),
        ("price_previous", "numeric"), ("volume", "numeric"), ("open_interest", "numeric"), ("src", "text"));

    public static readonly StageTable GameStates = new(
        "game_states",
        "ON CONFLICT DO NOTHING",
        ("milestone_id", "text"), ("timestamp", "timestamptz"), ("event_tickers", "text[]"), ("milestone_type", "text"), ("details", "jsonb"));

    /// <summary>One row per game, merged like the market metadata: the newer record's event list and type win.</summary>
    public static readonly StageTable GameMilestones = new(
        "game_milestones",
        """
        ON CONFLICT (milestone_id) DO UPDATE SET
            milestone_type = CASE WHEN EXCLUDED.last_seen >= t.last_seen THEN COALESCE(EXCLUDED.milestone_type, t.milestone_type) ELSE COALESCE(t.milestone_type, EXCLUDED.milestone_type) END,
            event_tickers  = CASE WHEN EXCLUDED.last_seen >= t.last_seen THEN EXCLUDED.event_tickers ELSE t.event_tickers END,
            first_seen     = LEAST(t.first_seen, EXCLUDED.first_seen),
            last_seen      = GREATEST(t.last_seen, EXCLUDED.last_seen)
        """,
        ("milestone_id", "text"), ("milestone_type", "text"), ("event_tickers", "text[]"), ("first_seen", "timestamptz"), ("last_seen", "timestamptz"));

    /// <summary>Each (event, game) pair of the batch's games; inserted from the game rows' event lists.</summary>
    public static readonly StageTable GameEvents = new(
        "game_events",
        "ON CONFLICT DO NOTHING",
        ("event_ticker", "text"), ("milestone_id", "text"));

    /// <summary>
    /// One row per market per batch, merged into the current row: each value moves only when the record it came from
    /// is at least as recent as the one already stored, so replaying old files never rolls a market back.
    /// </summary>
    public static readonly StageTable Metadata = new(
        "market_metadata",
        """
        ON CONFLICT (market_ticker) DO UPDATE SET
            series_ticker    = COALESCE(t.series_ticker, EXCLUDED.series_ticker),
            status           = CASE WHEN t.status_at IS NULL OR EXCLUDED.status_at >= t.status_at THEN COALESCE(EXCLUDED.status, t.status) ELSE t.status END,
            status_at        = GREATEST(t.status_at, EXCLUDED.status_at),
            strike           = CASE WHEN t.strike_at IS NULL OR EXCLUDED.strike_at >= t.strike_at THEN COALESCE(EXCLUDED.strike, t.strike) ELSE t.strike END,
            strike_at        = GREATEST(t.strike_at, EXCLUDED.strike_at),
            close_time       = COALESCE(EXCLUDED.close_time, t.close_time),
            event_ticker     = COALESCE(EXCLUDED.event_ticker, t.event_ticker),
            open_time        = COALESCE(EXCLUDED.open_time, t.open_time),
            cap_strike       = COALESCE(EXCLUDED.cap_strike, t.cap_strike),
            result           = COALESCE(EXCLUDED.result, t.result),
            expiration_value = COALESCE(EXCLUDED.expiration_value, t.expiration_value),
            settled_at       = LEAST(t.settled_at, EXCLUDED.settled_at),
            last_event       = CASE WHEN t.last_event_at IS NULL OR EXCLUDED.last_event_at >= t.last_event_at THEN COALESCE(EXCLUDED.last_event, t.last_event) ELSE t.last_event END,
            last_event_at    = GREATEST(t.last_event_at, EXCLUDED.last_event_at),
            first_seen       = LEAST(t.first_seen, EXCLUDED.first_seen),
            last_seen        = GREATEST(t.last_seen, EXCLUDED.last_seen),
            updated_at       = now()
        """,
        ("market_ticker", "text"), ("series_ticker", "text"), ("status", "text"), ("status_at", "timestamptz"), ("strike", "numeric"),
        ("strike_at", "timestamptz"), ("close_time", "timestamptz"), ("result", "text"), ("expiration_value", "numeric"),
        ("settled_at", "timestamptz"), ("last_event", "text"), ("last_event_at", "timestamptz"), ("first_seen", "timestamptz"),
        ("last_seen", "timestamptz"), ("event_ticker", "text"), ("open_time", "timestamptz"), ("cap_strike", "numeric"));
}
