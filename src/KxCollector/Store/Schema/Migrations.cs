namespace KxCollector.Store.Schema;

/// <summary>
/// The schema, as versioned steps. Never edit a step that has shipped: add the next one. Column names follow the
/// older Python collector's tables (market_snapshots.timestamp, mid_price, spread…) so its users' SQL keeps working.
/// Prices are cents as numeric (sub-penny prices stay exact); every time is timestamptz in UTC.
/// </summary>
internal static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "market data tables", """
            -- One row per market, kept current as statuses and results arrive. Each *_at column says how recent the
            -- value beside it is, so replaying an older file never overwrites newer facts.
            CREATE TABLE market_metadata (
                market_ticker    text PRIMARY KEY,
                series_ticker    text,
                status           text,
                status_at        timestamptz,
                strike           numeric,
                strike_at        timestamptz,
                close_time       timestamptz,
                result           text,
                expiration_value numeric,
                settled_at       timestamptz,
                last_event       text,
                last_event_at    timestamptz,
                first_seen       timestamptz,
                last_seen        timestamptz,
                updated_at       timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX market_metadata_series_close ON market_metadata (series_ticker, close_time);

            -- A market's quotes at each tick. The primary key serves "one market over a time range", the second
            -- index "everything at one second".
            CREATE TABLE market_snapshots (
                market_ticker text        NOT NULL,
                timestamp     timestamptz NOT NULL,
                status        text,
                yes_bid       numeric,
                yes_ask       numeric,
                no_bid        numeric,
                no_ask        numeric,
                last_price    numeric,
                volume        numeric,
                open_interest numeric,
                strike        numeric,
                secs_left     integer,
                age_ms        integer,
                src           text,
                mid_price     numeric GENERATED ALWAYS AS ((yes_bid + yes_ask) * 0.5) STORED,
                spread        numeric GENERATED ALWAYS AS (yes_ask - yes_bid) STORED,
                PRIMARY KEY (market_ticker, timestamp)
            );
            CREATE INDEX market_snapshots_timestamp ON market_snapshots (timestamp);

            -- The BRTI proxy and each exchange's mid at each tick of a BRTI-settled series.
            CREATE TABLE index_ticks (
                timestamp     timestamptz NOT NULL,
                series_ticker text        NOT NULL,
                brti          numeric,
                coinbase      numeric,
                kraken        numeric,
                bitstamp      numeric,
                PRIMARY KEY (timestamp, series_ticker)
            );

            -- Top-of-book depth when BOOK_DEPTH > 0: [[price_cents, size], …] per side, best first.
            CREATE TABLE orderbook_depth (
                market_ticker text        NOT NULL,
                timestamp     timestamptz NOT NULL,
                yes_book      jsonb,
                no_book       jsonb,
                PRIMARY KEY (market_ticker, timestamp)
            );
            CREATE INDEX orderbook_depth_timestamp ON orderbook_depth (timestamp);

            CREATE TABLE trades (
                trade_id      text PRIMARY KEY,
                market_ticker text        NOT NULL,
                timestamp     timestamptz NOT NULL,
                yes_price     numeric,
                no_price      numeric,
                count         numeric,
                taker_side    text,
                src           text
            );
            CREATE INDEX trades_market_timestamp ON trades (market_ticker, timestamp);
            CREATE INDEX trades_timestamp ON trades (timestamp);

            -- One row per settled market: Kalshi's value beside our own BRTI proxy average.
            CREATE TABLE settlements (
                market_ticker    text PRIMARY KEY,
                timestamp        timestamptz NOT NULL,
                close_time       timestamptz,
                result           text,
                expiration_value numeric,
                strike           numeric,
                brti_avg60       numeric,
                brti_samples     integer,
                src              text
            );
            CREATE INDEX settlements_close_time ON settlements (close_time);

            -- Kalshi's market_lifecycle events as recorded (details holds the whole record).
            CREATE TABLE market_lifecycle (
                market_ticker text        NOT NULL,
                timestamp     timestamptz NOT NULL,
                event         text        NOT NULL,
                details       jsonb,
                src           text,
                PRIMARY KEY (market_ticker, timestamp, event)
            );

            -- Candlesticks (the backfill's "candle" records): OHLC in cents of yes_bid, yes_ask and the traded
            -- price per market, interval (minutes) and period end.
            CREATE TABLE historical_prices (
                market_ticker   text        NOT NULL,
                period_interval integer     NOT NULL,
                end_period_ts   timestamptz NOT NULL,
                yes_bid_open    numeric,
                yes_bid_high    numeric,
                yes_bid_low     numeric,
                yes_bid_close   numeric,
                yes_ask_open    numeric,
                yes_ask_high    numeric,
                yes_ask_low     numeric,
                yes_ask_close   numeric,
                price_open      numeric,
                price_high      numeric,
                price_low       numeric,
                price_close     numeric,
                price_mean      numeric,
                volume          numeric,
                open_interest   numeric,
                src             text,
                PRIMARY KEY (market_ticker, period_interval, end_period_ts)
            );
            CREATE INDEX historical_prices_end ON historical_prices (end_period_ts);

            -- On Supabase every table in public is reachable through the REST API with the project's anon key,
            -- which is often public: without row level security anyone could read or delete these rows. The
            -- owner (the role that ran this, which the collector uses) is not bound by it; other readers need a policy.
            ALTER TABLE market_metadata   ENABLE ROW LEVEL SECURITY;
            ALTER TABLE market_snapshots  ENABLE ROW LEVEL SECURITY;
            ALTER TABLE index_ticks       ENABLE ROW LEVEL SECURITY;
            ALTER TABLE orderbook_depth   ENABLE ROW LEVEL SECURITY;
            ALTER TABLE trades            ENABLE ROW LEVEL SECURITY;
            ALTER TABLE settlements       ENABLE ROW LEVEL SECURITY;
            ALTER TABLE market_lifecycle  ENABLE ROW LEVEL SECURITY;
            ALTER TABLE historical_prices ENABLE ROW LEVEL SECURITY;
            """),
        new(2, "collector bookkeeping: file positions, health, logs", """
            -- How far each collector has read each of its files. Written in the same transaction as the rows read,
            -- so a crash on either side neither loses nor repeats a line.
            CREATE TABLE ingest_positions (
                collector_id text        NOT NULL,
                file_name    text        NOT NULL,
                byte_offset  bigint      NOT NULL,
                line_count   bigint      NOT NULL,
                updated_at   timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (collector_id, file_name)
            );

            -- One row per collector sharing the database, updated with every batch. rows_duplicate counts rows it
            -- sent that were already stored: it stays 0 unless lines are read twice (or another import got there first).
            CREATE TABLE collectors (
                collector_id   text PRIMARY KEY,
                first_seen     timestamptz NOT NULL DEFAULT now(),
                last_seen      timestamptz NOT NULL DEFAULT now(),
                version        text,
                lines_read     bigint      NOT NULL DEFAULT 0,
                lines_skipped  bigint      NOT NULL DEFAULT 0,
                rows_inserted  bigint      NOT NULL DEFAULT 0,
                rows_duplicate bigint      NOT NULL DEFAULT 0
            );

            -- A row a minute per collector.
            CREATE TABLE collection_health (
                collector_id        text        NOT NULL,
                minute              timestamptz NOT NULL,
                ticks_written       integer,
                ticks_not_written   integer,
                seconds_skipped     integer,
                missing_seconds     integer,
                last_tick_at        timestamptz,
                reconnects          integer,
                feeds               jsonb,
                jsonl_backlog       integer,
                store_lines         bigint,
                store_rows          bigint,
                store_skipped_lines bigint,
                store_lag_ms        integer,
                store_pending_bytes bigint,
                PRIMARY KEY (collector_id, minute)
            );

            -- Warnings and errors. (instance_id, seq) makes a retried write land once.
            CREATE TABLE data_collection_logs (
                id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                timestamp    timestamptz NOT NULL,
                collector_id text        NOT NULL,
                level        text        NOT NULL,
                event_id     integer,
                category     text,
                message      text        NOT NULL,
                exception    text,
                instance_id  uuid        NOT NULL,
                seq          bigint      NOT NULL,
                UNIQUE (instance_id, seq)
            );
            CREATE INDEX data_collection_logs_timestamp ON data_collection_logs (timestamp);

            ALTER TABLE ingest_positions     ENABLE ROW LEVEL SECURITY;
            ALTER TABLE collectors           ENABLE ROW LEVEL SECURITY;
            ALTER TABLE collection_health    ENABLE ROW LEVEL SECURITY;
            ALTER TABLE data_collection_logs ENABLE ROW LEVEL SECURITY;
            """),
        new(3, "backfill market and candle fields", """
            -- What the backfill's market records say beyond the live ones: the event, when trading opened, the upper
            -- strike of a range market. Like close_time, set whenever a record carries them.
            ALTER TABLE market_metadata
                ADD COLUMN event_ticker text,
                ADD COLUMN open_time    timestamptz,
                ADD COLUMN cap_strike   numeric;

            -- Kalshi's candles carry price.previous (the last trade price before the period): a period without trades
            -- has no OHLC, and this is the price it stood at.
            ALTER TABLE historical_prices ADD COLUMN price_previous numeric;
            """),
        new(4, "official CF Benchmarks index", """
            -- The official print each tick of a series on an official index carried (official_index, in dollars) and the
            -- second it is stamped with; null when the latest print was stale or there was none.
            ALTER TABLE index_ticks
                ADD COLUMN official_index    numeric,
                ADD COLUMN official_index_ts timestamptz;

            -- Settlement lines of such series: the official prints' window mean and count, and Kalshi's published
            -- windowed average with the window it states (start inclusive, end exclusive).
            ALTER TABLE settlements
                ADD COLUMN official_avg60            numeric,
                ADD COLUMN official_samples          integer,
                ADD COLUMN kalshi_avg60              numeric,
                ADD COLUMN kalshi_avg60_window_size  integer,
                ADD COLUMN kalshi_avg60_window_start timestamptz,
                ADD COLUMN kalshi_avg60_window_end   timestamptz;

            -- Each official print once (an index's prints go to every series file settling on it: one row here).
            CREATE TABLE official_index_prints (
                index_id    text        NOT NULL,
                timestamp   timestamptz NOT NULL,
                value       numeric     NOT NULL,
                received_at timestamptz,
                PRIMARY KEY (index_id, timestamp)
            );
            ALTER TABLE official_index_prints ENABLE ROW LEVEL SECURITY;
            """),
        new(5, "games beside the markets: milestones, their events, game states", """
            -- A real-world game (Kalshi's milestone) and the events whose markets it moves: a market belongs to the
            -- event its ticker starts with (market_metadata.event_ticker when a backfill record gave it), so
            -- game_events joins market_snapshots to the game.
            CREATE TABLE game_milestones (
                milestone_id   text PRIMARY KEY,
                milestone_type text,
                event_tickers  text[]      NOT NULL,
                first_seen     timestamptz NOT NULL,
                last_seen      timestamptz NOT NULL
            );

            CREATE TABLE game_events (
                event_ticker text NOT NULL,
                milestone_id text NOT NULL,
                PRIMARY KEY (event_ticker, milestone_id)
            );
            CREATE INDEX game_events_milestone ON game_events (milestone_id);

            -- A game's live data as read from Kalshi (written when it changed): details verbatim, keys by sport. The
            -- state of a game at a second is its latest row at or before that second.
            CREATE TABLE game_states (
                milestone_id   text        NOT NULL,
                timestamp      timestamptz NOT NULL,
                event_tickers  text[]      NOT NULL,
                milestone_type text,
                details        jsonb       NOT NULL,
                PRIMARY KEY (milestone_id, timestamp)
            );
            CREATE INDEX game_states_timestamp ON game_states (timestamp);

            ALTER TABLE game_milestones ENABLE ROW LEVEL SECURITY;
            ALTER TABLE game_events     ENABLE ROW LEVEL SECURITY;
            ALTER TABLE game_states     ENABLE ROW LEVEL SECURITY;
            """),
    ];

    public static int LatestVersion => All[^1].Version;
}
