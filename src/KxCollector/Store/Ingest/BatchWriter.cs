using KxCollector.Records;
using KxCollector.Store.Health;
using KxCollector.Store.Logging;
using KxCollector.Store.Records;
using Npgsql;
using NpgsqlTypes;

namespace KxCollector.Store.Ingest;

/// <summary>
/// Writes one <see cref="StoreBatch"/> in one transaction: binary COPY into staging tables, then
/// INSERT … ON CONFLICT DO NOTHING into the real ones (so a row already there is skipped, never doubled), and — for
/// the live store — the files' new positions, the collector's totals, health rows and log rows. Either all of it
/// commits or none of it does: that is what makes a crash on either side lose nothing and repeat nothing.
/// No statement is prepared on the server (the transaction pooler could not keep it).
/// </summary>
internal static class BatchWriter
{
    public static async Task<BatchResult> WriteAsync(
        NpgsqlConnection connection,
        StoreBatch batch,
        Bookkeeping? bookkeeping,
        CancellationToken ct,
        BatchParts parts = BatchParts.All)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);

        var tables = new List<StageTable>(12);
        AddIf(tables, batch.IndexTicks.Count, StageTable.IndexTicks);
        AddIf(tables, batch.Snapshots.Count, StageTable.Snapshots);
        AddIf(tables, batch.Depth.Count, StageTable.Depth);
        AddIf(tables, batch.Trades.Count, StageTable.Trades);
        AddIf(tables, batch.Settlements.Count, StageTable.Settlements);
        AddIf(tables, batch.Lifecycle.Count, StageTable.Lifecycle);
        AddIf(tables, batch.Candles.Count, StageTable.Candles);
        AddIf(tables, batch.IndexPrints.Count, StageTable.IndexPrints);
        AddIf(tables, batch.Metadata.Count, StageTable.Metadata);
        AddIf(tables, batch.GameStates.Count, StageTable.GameStates);
        AddIf(tables, batch.GameMilestones.Count, StageTable.GameMilestones);
        AddIf(tables, batch.GameMilestones.Count, StageTable.GameEvents);
        tables.RemoveAll(t => !parts.HasFlag(IsMerge(t) ? BatchParts.Merges : BatchParts.Rows));

        long staged = parts.HasFlag(BatchParts.Rows) ? batch.RowCount : 0;
        long inserted = 0;
        if (tables.Count > 0)
        {
            await using (var create = new NpgsqlBatch(connection, transaction))
            {
                foreach (var table in tables)
                {
                    create.BatchCommands.Add(new NpgsqlBatchCommand(table.CreateSql));
                }

                await create.ExecuteNonQueryAsync(ct);
            }

            await CopyAsync(connection, batch, tables, ct);

            await using var insert = new NpgsqlBatch(connection, transaction);
            foreach (var table in tables)
            {
                insert.BatchCommands.Add(new NpgsqlBatchCommand(table.InsertSql));
            }

            await insert.ExecuteNonQueryAsync(ct);
            for (var i = 0; i < tables.Count; i++)
            {
                // Metadata is an upsert of markets already counted through their snapshots; a game's rows likewise
                // come with its states.
                if (!IsMerge(tables[i]))
                {
                    inserted += insert.BatchCommands[i].RecordsAffected;
                }
            }
        }

        if (bookkeeping is not null)
        {
            await WriteBookkeepingAsync(connection, transaction, batch, bookkeeping, inserted, staged - inserted, ct);
        }

        await transaction.CommitAsync(ct);
        return new BatchResult(staged, inserted);
    }

    /// <summary>The tables whose rows merge into a current row (DO UPDATE): the order batches reach them in matters.</summary>
    private static bool IsMerge(StageTable table) =>
        table == StageTable.Metadata || table == StageTable.GameMilestones || table == StageTable.GameEvents;

    private static void AddIf(List<StageTable> tables, int count, StageTable table)
    {
        if (count > 0)
        {
            tables.Add(table);
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, StoreBatch batch, List<StageTable> tables, CancellationToken ct)
    {
        await CopyRowsAsync(connection, tables, StageTable.IndexTicks, batch.IndexTicks, static async (w, r, token) =>
        {
            await w.WriteAsync(r.Timestamp, NpgsqlDbType.TimestampTz, token);
            await w.WriteAsync(r.Series, NpgsqlDbType.Text, token);
            await NumericAsync(w, r.Brti, token);
            await NumericAsync(w, r.Coinbase, token);
            await NumericAsync(w, r.Kraken, token);
            await NumericAsync(w, r.Bitstamp, token);
            await NumericAsync(w, r.OfficialIndex, token);
            await TimeAsync(w, r.OfficialIndexTs, token);
        }, ct);

        await CopyRowsAsync(connection, tables, StageTable.IndexPrints, batch.IndexPrints, static async (w, r, token) =>
        {
            await w.WriteAsync(r.IndexId, NpgsqlDbType.Text, token);
            await w.WriteAsync(r.Timestamp, NpgsqlDbType.TimestampTz, token);
            await w.WriteAsync(r.Value, NpgsqlDbType.Numeric, token);
            await TimeAsync(w, r.ReceivedAt, token);
        }, ct);

        await CopyRowsAsync(connection, tables, StageTable.Snapshots, batch.Snapshots, static async (w, r, token) =>
        {
            await w.WriteAsync(r.Ticker, NpgsqlDbType.Text, token);
            await w.WriteAsync(r.Timestamp, NpgsqlDbType.TimestampTz, token);
            await TextAsync(w, r.Status, token);
            await NumericAsync(w, r.YesBid, token);
            await NumericAsync(w, r.YesAsk, token);
            await NumericAsync(w, r.NoBid, token);
            await NumericAsync(w, r.NoAsk, token);
            await NumericAsync(w, r.LastPrice, token);
            await NumericAsync(w, r.Volume, token);
            await NumericAsync(w, r.OpenInterest, token);
            await NumericAsync(w, r.Strike, token);
            await IntegerAsync(w, r.SecsLeft, token);
            await IntegerAsync(w, r.AgeMs, token);
            await TextAsync(w, r.Src, token);
        }, ct);

        await CopyRowsAsync(connection, tables, StageTable.Depth, batch.Depth, static async (w, r, token) =>
        {
            await w.WriteAsync(r.Ticker, NpgsqlDbType.Text, token);
            await w.WriteAsync(r.Timestamp, NpgsqlDbType.TimestampTz, token);
            await JsonAsync(w, r.YesBook, token);
            await JsonAsync(w, r.NoBook, token);
        }, ct);

        await CopyRowsAsync(connection, tables, StageTable.Trades, batch.Trades, static async (w, r, token) =>
        {
            await w.WriteAsync(r.TradeId, NpgsqlDbType.Text, token);
            await w.WriteAsync(r.Ticker, NpgsqlDbType.Text, token);
            await w.WriteAsync(r.Timestamp, NpgsqlDbType.TimestampTz, token);
            await NumericAsync(w, r.YesPrice, token);
            await NumericAsync(w, r.NoPrice, token);
            await NumericAsync(w, r.Count, token);
            await TextAsync(w, r.Side, token);
            await TextAsync(w, r.Src, token);
        }, ct);

        await CopyRowsAsync(connection, tables, StageTable.Settlements, batch.Settlements, static async (w, r, token) =>
        {
            await w.WriteAsync(r.Ticker, NpgsqlDbType.Text, token);
            await w.WriteAsync(r.Timestamp, NpgsqlDbType.TimestampTz, token);
            await TimeAsync(w, r.CloseTime, token);
            await TextAsync(w, r.Result, token);
            await NumericAsync(w, r.ExpirationValue, token);
            await NumericAsync(w, r.Strike, token);
            await NumericAsync(w, r.BrtiAvg60, token);
            await IntegerAsync(w, r.BrtiSamples, token);
            await TextAsync(w, r.Src, token);
            await NumericAsync(w, r.Official.OfficialAvg60, token);
            await IntegerAsync(w, r.Official.OfficialSamples, token);
            await NumericAsync(w, r.Official.KalshiAvg60, token);
            await IntegerAsync(w, r.Official.KalshiWindowSize, token);
            await TimeAsync(w, r.Official.KalshiWindowStart, token);
            await TimeAsync(w, r.Official.KalshiWindowEnd, token);
        }, ct);

        await CopyRowsAsync(connection, tables, StageTable.Lifecycle, batch.Lifecycle, static async (w, r, token) =>
        {
            await w.WriteAsync(r.Ticker, NpgsqlDbType.Text, token);
            await w.WriteAsync(r.Timestamp, NpgsqlDbType.TimestampTz, token);
            await w.WriteAsync(r.Event, NpgsqlDbType.Text, token);
            await JsonAsync(w, r.Details, token);
            await TextAsync(w, r.Src, token);
        }, ct);

        await CopyRowsAsync(connection, tables, StageTable.Candles, batch.Candles, static async (w, r, token) =>
        {
            await w.WriteAsync(r.Ticker, NpgsqlDbType.Text, token);
            await w.WriteAsync(r.PeriodMinutes, NpgsqlDbType.Integer, token);
            await w.WriteAsync(r.EndPeriod, NpgsqlDbType.TimestampTz, token);
            await OhlcAsync(w, r.YesBid, withMean: false, token);
            await OhlcAsync(w, r.YesAsk, withMean: false, token);
            await OhlcAsync(w, r.Price, withMean: true, token);
            await NumericAsync(w, r.Price.Previous, token);
            await NumericAsync(w, r.Volume, token);
            await NumericAsync(w, r.OpenInterest, token);
            await TextAsync(w, r.Src, token);
        }, ct);

        await CopyRowsAsync(connection, tables, StageTable.GameStates, batch.GameStates, static async (w, r, token) =>
        {
            await w.WriteAsync(r.MilestoneId, NpgsqlDbType.Text, token);
            await w.WriteAsync(r.Timestamp, NpgsqlDbType.TimestampTz, token);
            await w.WriteAsync(r.EventTickers, NpgsqlDbType.Array | NpgsqlDbType.Text, token);
            await TextAsync(w, r.MilestoneType, token);
            await JsonAsync(w, r.Details, token);
        }, ct);

        await CopyRowsAsync(connection, tables, StageTable.GameMilestones, batch.GameMilestones, static async (w, r, token) =>
        {
            await w.WriteAsync(r.MilestoneId, NpgsqlDbType.Text, token);
            await TextAsync(w, r.MilestoneType, token);
            await w.WriteAsync(r.EventTickers, NpgsqlDbType.Array | NpgsqlDbType.Text, token);
            await w.WriteAsync(r.FirstSeen, NpgsqlDbType.TimestampTz, token);
            await w.WriteAsync(r.LastSeen, NpgsqlDbType.TimestampTz, token);
        }, ct);

        var gameEvents = batch.GameMilestones.SelectMany(g => g.EventTickers.Distinct(StringComparer.Ordinal).Select(e => (Event: e, g.MilestoneId))).ToList();
        await CopyRowsAsync(connection, tables, StageTable.GameEvents, gameEvents, static async (w, r, token) =>
        {
            await w.WriteAsync(r.Event, NpgsqlDbType.Text, token);
            await w.WriteAsync(r.MilestoneId, NpgsqlDbType.Text, token);
        }, ct);

        await CopyRowsAsync(connection, tables, StageTable.Metadata, batch.Metadata, static async (w, r, token) =>
        {
            await w.WriteAsync(r.Ticker, NpgsqlDbType.Text, token);
            await TextAsync(w, r.Series, token);
            await TextAsync(w, r.Status, token);
            await TimeAsync(w, r.StatusAt, token);
            await NumericAsync(w, r.Strike, token);
            await TimeAsync(w, r.StrikeAt, token);
            await TimeAsync(w, r.CloseTime, token);
            await TextAsync(w, r.Result, token);
            await NumericAsync(w, r.ExpirationValue, token);
            await TimeAsync(w, r.SettledAt, token);
            await TextAsync(w, r.LastEvent, token);
            await TimeAsync(w, r.LastEventAt, token);
            await TimeAsync(w, r.FirstSeen, token);
            await TimeAsync(w, r.LastSeen, token);
            await TextAsync(w, r.EventTicker, token);
            await TimeAsync(w, r.OpenTime, token);
            await NumericAsync(w, r.CapStrike, token);
        }, ct);
    }

    /// <summary>One binary COPY of a row list into its staging table (nothing when the list is empty).</summary>
    private static async Task CopyRowsAsync<T>(
        NpgsqlConnection connection,
        List<StageTable> tables,
        StageTable table,
        IReadOnlyCollection<T> rows,
        Func<NpgsqlBinaryImporter, T, CancellationToken, Task> writeRow,
        CancellationToken ct)
    {
        if (rows.Count == 0 || !tables.Contains(table))
        {
            return;
        }

        await using var w = await connection.BeginBinaryImportAsync(table.CopySql, ct);
        foreach (var r in rows)
        {
            await w.StartRowAsync(ct);
            await writeRow(w, r, ct);
        }

        await w.CompleteAsync(ct);
    }

    private static async Task WriteBookkeepingAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        StoreBatch batch,
        Bookkeeping bookkeeping,
        long inserted,
        long duplicate,
        CancellationToken ct)
    {
        var moves = bookkeeping.Positions.Where(p => p.ExpectedOffset is not null).ToList();
        var creates = bookkeeping.Positions.Where(p => p.ExpectedOffset is null).ToList();

        await using var command = new NpgsqlBatch(connection, transaction);

        // A position moves only from where this collector left it: if another process runs under the same
        // COLLECTOR_ID, one of the two finds the row moved (or already created), and its whole batch rolls back.
        var move = new NpgsqlBatchCommand("""
            UPDATE ingest_positions AS p SET byte_offset = f.byte_offset, line_count = f.line_count, updated_at = now()
            FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) AS f(file_name, expected, byte_offset, line_count)
            WHERE p.collector_id = $1 AND p.file_name = f.file_name AND p.byte_offset = f.expected
            """);
        move.Parameters.Add(new NpgsqlParameter { Value = bookkeeping.CollectorId });
        move.Parameters.Add(new NpgsqlParameter { Value = moves.Select(p => p.FileName).ToArray() });
        move.Parameters.Add(new NpgsqlParameter { Value = moves.Select(p => p.ExpectedOffset!.Value).ToArray() });
        move.Parameters.Add(new NpgsqlParameter { Value = moves.Select(p => p.Offset).ToArray() });
        move.Parameters.Add(new NpgsqlParameter { Value = moves.Select(p => p.Lines).ToArray() });
        command.BatchCommands.Add(move);

        var create = new NpgsqlBatchCommand("""
            INSERT INTO ingest_positions (collector_id, file_name, byte_offset, line_count)
            SELECT $1, f.file_name, f.byte_offset, f.line_count FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS f(file_name, byte_offset, line_count)
            ON CONFLICT DO NOTHING
            """);
        create.Parameters.Add(new NpgsqlParameter { Value = bookkeeping.CollectorId });
        create.Parameters.Add(new NpgsqlParameter { Value = creates.Select(p => p.FileName).ToArray() });
        create.Parameters.Add(new NpgsqlParameter { Value = creates.Select(p => p.Offset).ToArray() });
        create.Parameters.Add(new NpgsqlParameter { Value = creates.Select(p => p.Lines).ToArray() });
        command.BatchCommands.Add(create);

        var totals = new NpgsqlBatchCommand("""
            INSERT INTO collectors AS c (collector_id, version, lines_read, lines_skipped, rows_inserted, rows_duplicate)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (collector_id) DO UPDATE SET
                last_seen = now(), version = EXCLUDED.version,
                lines_read = c.lines_read + EXCLUDED.lines_read, lines_skipped = c.lines_skipped + EXCLUDED.lines_skipped,
                rows_inserted = c.rows_inserted + EXCLUDED.rows_inserted, rows_duplicate = c.rows_duplicate + EXCLUDED.rows_duplicate
            """);
        totals.Parameters.Add(new NpgsqlParameter { Value = bookkeeping.CollectorId });
        totals.Parameters.Add(new NpgsqlParameter { Value = bookkeeping.Version });
        totals.Parameters.Add(new NpgsqlParameter { Value = batch.Lines });
        totals.Parameters.Add(new NpgsqlParameter { Value = batch.SkippedLines });
        totals.Parameters.Add(new NpgsqlParameter { Value = inserted });
        totals.Parameters.Add(new NpgsqlParameter { Value = duplicate });
        command.BatchCommands.Add(totals);

        if (bookkeeping.Health.Count > 0)
        {
            command.BatchCommands.Add(HealthInsert(bookkeeping.CollectorId, bookkeeping.Health));
        }

        if (bookkeeping.Logs.Count > 0)
        {
            command.BatchCommands.Add(LogInsert(bookkeeping.CollectorId, bookkeeping.InstanceId, bookkeeping.Logs));
        }

        await command.ExecuteNonQueryAsync(ct);
        if (command.BatchCommands[0].RecordsAffected != moves.Count || command.BatchCommands[1].RecordsAffected != creates.Count)
        {
            throw new PositionConflictException(bookkeeping.CollectorId);
        }
    }

    private static NpgsqlBatchCommand HealthInsert(string collectorId, IReadOnlyList<HealthRow> rows)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO collection_health (collector_id, minute, ticks_written, ticks_not_written, seconds_skipped, missing_seconds,
                last_tick_at, reconnects, feeds, jsonl_backlog, store_lines, store_rows, store_skipped_lines, store_lag_ms, store_pending_bytes)
            SELECT $1, h.minute, h.ticks_written, h.ticks_not_written, h.seconds_skipped, h.missing_seconds, h.last_tick_at, h.reconnects,
                h.feeds::jsonb, h.jsonl_backlog, h.store_lines, h.store_rows, h.store_skipped_lines, h.store_lag_ms, h.store_pending_bytes
            FROM unnest($2::timestamptz[], $3::integer[], $4::integer[], $5::integer[], $6::integer[], $7::timestamptz[], $8::integer[],
                $9::text[], $10::integer[], $11::bigint[], $12::bigint[], $13::bigint[], $14::integer[], $15::bigint[])
                AS h(minute, ticks_written, ticks_not_written, seconds_skipped, missing_seconds, last_tick_at, reconnects, feeds,
                     jsonl_backlog, store_lines, store_rows, store_skipped_lines, store_lag_ms, store_pending_bytes)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = collectorId });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Minute).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.TicksWritten).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.TicksNotWritten).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.SecondsSkipped).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.MissingSeconds).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.LastTickAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Reconnects).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.FeedsJson).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.JsonlBacklog).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.StoreLines).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.StoreRows).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.StoreSkippedLines).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.StoreLagMs).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.StorePendingBytes).ToArray() });
        return command;
    }

    private static NpgsqlBatchCommand LogInsert(string collectorId, Guid instanceId, IReadOnlyList<LogRow> rows)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO data_collection_logs (timestamp, collector_id, level, event_id, category, message, exception, instance_id, seq)
            SELECT l.timestamp, $1, l.level, l.event_id, l.category, l.message, l.exception, $2, l.seq
            FROM unnest($3::timestamptz[], $4::text[], $5::integer[], $6::text[], $7::text[], $8::text[], $9::bigint[])
                AS l(timestamp, level, event_id, category, message, exception, seq)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = collectorId });
        command.Parameters.Add(new NpgsqlParameter { Value = instanceId });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Timestamp).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Level).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Category).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Message).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Exception).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Seq).ToArray() });
        return command;
    }

    private static async Task OhlcAsync(NpgsqlBinaryImporter w, Ohlc o, bool withMean, CancellationToken ct)
    {
        await NumericAsync(w, o.Open, ct);
        await NumericAsync(w, o.High, ct);
        await NumericAsync(w, o.Low, ct);
        await NumericAsync(w, o.Close, ct);
        if (withMean)
        {
            await NumericAsync(w, o.Mean, ct);
        }
    }

    private static Task NumericAsync(NpgsqlBinaryImporter w, decimal? value, CancellationToken ct) =>
        value is { } v ? w.WriteAsync(v, NpgsqlDbType.Numeric, ct) : w.WriteNullAsync(ct);

    private static Task IntegerAsync(NpgsqlBinaryImporter w, int? value, CancellationToken ct) =>
        value is { } v ? w.WriteAsync(v, NpgsqlDbType.Integer, ct) : w.WriteNullAsync(ct);

    private static Task TextAsync(NpgsqlBinaryImporter w, string? value, CancellationToken ct) =>
        value is not null ? w.WriteAsync(value, NpgsqlDbType.Text, ct) : w.WriteNullAsync(ct);

    private static Task JsonAsync(NpgsqlBinaryImporter w, string? value, CancellationToken ct) =>
        value is not null ? w.WriteAsync(value, NpgsqlDbType.Jsonb, ct) : w.WriteNullAsync(ct);

    private static Task TimeAsync(NpgsqlBinaryImporter w, DateTime? value, CancellationToken ct) =>
        value is { } v ? w.WriteAsync(v, NpgsqlDbType.TimestampTz, ct) : w.WriteNullAsync(ct);
}

/// <summary>Which of a batch's tables one transaction writes.</summary>
[Flags]
internal enum BatchParts
{
    /// <summary>The rows that are only ever added (ON CONFLICT DO NOTHING): order-free, so batches may write them side by side.</summary>
    Rows = 1,

    /// <summary>The merges into one current row per market or game (market_metadata, game_milestones, game_events).</summary>
    Merges = 2,

    All = Rows | Merges,
}

/// <summary>What the live store writes beside the rows, in the same transaction.</summary>
internal sealed record Bookkeeping(
    string CollectorId,
    Guid InstanceId,
    string Version,
    IReadOnlyList<PositionUpdate> Positions,
    IReadOnlyList<HealthRow> Health,
    IReadOnlyList<LogRow> Logs);

internal readonly record struct BatchResult(long RowsStaged, long RowsInserted)
{
    public long RowsDuplicate => RowsStaged - RowsInserted;
}

/// <summary>A file position was not where this collector left it: another process uses the same COLLECTOR_ID.</summary>
internal sealed class PositionConflictException : Exception
{
    public PositionConflictException(string collectorId)
        : base($"a file position of collector '{collectorId}' moved under it: is another collector running with the same COLLECTOR_ID?")
    {
        CollectorId = collectorId;
    }

    public PositionConflictException()
        : this(string.Empty)
    {
    }

    public PositionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        CollectorId = string.Empty;
    }

    public string CollectorId { get; }
}
