using KxCollector.Cli;
using KxCollector.Hosting;
using KxCollector.Net;
using KxCollector.Store.Health;
using KxCollector.Store.Ingest;
using KxCollector.Store.Logging;
using KxCollector.Store.Records;
using KxCollector.Store.Schema;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using KxCollector.Configuration;

namespace KxCollector.Store;

/// <summary>
/// The database store: a consumer of the JSONL files, never a step on the way to them. It migrates the schema,
/// loads this collector's saved file positions, then follows the data folder and writes batches (rows, positions,
/// health and log rows in one transaction each). When the database fails it backs off and retries; when it is back,
/// the store resumes from the saved positions and catches up from the files by itself. Nothing in here can stop the
/// host: a failure is logged and retried, because stopping the host would stop the recording.
/// </summary>
internal sealed class StoreService : BackgroundService
{
    /// <summary>How often the files are looked at for new lines.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The last batch's budget at shutdown: well inside the host's 15 s, and what it misses is stored next start.</summary>
    public static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan StillFailingLogInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan UnusableUrlReminder = TimeSpan.FromHours(1);

    /// <summary>Skipped lines logged one by one per minute; past that they are summed up once a minute.</summary>
    public const int SkippedLinesLoggedPerMinute = 10;

    public const int MaxHealthRowsPerBatch = 100;
    public const int MaxLogRowsPerBatch = 500;

    private readonly StoreOptions _options;
    private readonly string _folder;
    private readonly TimeProvider _time;
    private readonly StoreStats _stats;
    private readonly Outbox<LogRow> _logs;
    private readonly Outbox<HealthRow> _health;
    private readonly ILogger<StoreService> _logger;
    private readonly RecordParser _parser = new();
    // 1 s doubling to a minute, and up to 5 minutes for a refused login (Supabase's pooler bans clients that keep
    // failing authentication, and nothing changes until a person fixes DATABASE_URL anyway). ±20 % jitter keeps
    // collectors sharing a database from retrying in step without ever retrying at once.
    private static readonly BackoffPolicy Retry = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), 0.8, 1.2);
    private static readonly BackoffPolicy RetryAfterLoginRefused = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), 0.8, 1.2);

    private readonly Backoff _backoff;
    private readonly OutageReporter _outage;
    private long _lastFlush;
    private long _skipWindowStart;
    private int _skipsLoggedInWindow;
    private long _skipsSuppressed;
    private long _droppedReported;

    public StoreService(
        StoreOptions options,
        string folder,
        TimeProvider time,
        StoreStats stats,
        Outbox<LogRow> logs,
        Outbox<HealthRow> health,
        ILogger<StoreService> logger)
    {
        _options = options;
        _folder = folder;
        _time = time;
        _stats = stats;
        _logs = logs;
        _health = health;
        _logger = logger;
        _backoff = new Backoff(Retry, time);
        _outage = new OutageReporter(time, StillFailingLogInterval);
        _lastFlush = time.GetTimestamp();
        _skipWindowStart = time.GetTimestamp();
    }

    /// <summary>Identifies this process's log rows, so a write retried after a lost commit reply lands once.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Never hold up the host's start (the tick loop starts after us).
        await Task.Yield();
        if (_options.Target is not { } target)
        {
            await ReportUnusableUrlAsync(stoppingToken);
            return;
        }

        StoreLog.Starting(_logger, _folder, target.Description, _options.CollectorId, _options.BatchSize, _options.FlushInterval.TotalSeconds);
        await using var dataSource = target.CreateDataSource();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunSessionAsync(dataSource, target, stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Whatever fails here, the host must keep running: stopping it would stop the recording.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _stats.SetConnected(false);
                var delay = _backoff.NextDelay(DatabaseErrors.IsLoginProblem(ex) ? RetryAfterLoginRefused : Retry);
                ReportFailure(ex, target, delay);
                try
                {
                    await Task.Delay(delay, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RunSessionAsync(NpgsqlDataSource dataSource, DatabaseTarget target, CancellationToken stoppingToken)
    {
        var report = await SchemaMigrator.MigrateAsync(dataSource, Migrations.All, stoppingToken);
        ReportSchema(report);
        var saved = await LoadPositionsAsync(dataSource, stoppingToken);
        await SocketThread.Leave();
        if (_outage.Succeeded() is { } outage)
        {
            StoreLog.DatabaseRecovered(_logger, target.Description, outage.Duration.TotalSeconds);
            _backoff.Reset();
        }

        _stats.SetConnected(true);
        using var follower = new FolderFollower(_folder, saved, _time);
        follower.FileShrank += (file, offset, length) => StoreLog.FileShrank(_logger, file, offset, length);
        follower.FileUnreadable += (file, reason) => Archive.ArchiveLog.StoreCannotRead(_logger, file, reason);
        var batch = new StoreBatch();
        var session = new SessionTotals(_time, _stats);

        while (!stoppingToken.IsCancellationRequested)
        {
            follower.Refresh();
            follower.Fill(batch, _parser, _options.BatchSize, OnSkipped);
            ReportUnknownNames();
            _stats.SetPendingBytes(follower.PendingBytes);
            var full = batch.RowCount >= _options.BatchSize;
            if (full || FlushDue(batch) || OutboxDue())
            {
                await FlushAsync(dataSource, follower, batch, stoppingToken);
                if (!full)
                {
                    session.MaybeReportCaughtUp(_logger, follower.FileCount);
                }
            }

            if (full)
            {
                // Catching up: the next batch is already waiting in the files.
                continue;
            }

            try
            {
                await Task.Delay(PollDelay(batch), _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await FinalFlushAsync(dataSource, follower, batch, target);
    }

    /// <summary>
    /// At shutdown: store what the files hold now (every writer has stopped before us, CollectorHost adds the store
    /// first, so the last lines are in), within
    /// <see cref="FinalFlushTimeout"/>. Whatever does not make it stays in the files for the next start.
    /// </summary>
    private async Task FinalFlushAsync(NpgsqlDataSource dataSource, FolderFollower follower, StoreBatch batch, DatabaseTarget target)
    {
        using var timeout = new CancellationTokenSource(FinalFlushTimeout, _time);
        try
        {
            follower.Refresh();
            for (var round = 0; round < 20; round++)
            {
                follower.Fill(batch, _parser, _options.BatchSize, OnSkipped);
                if (batch.IsEmpty && _logs.Count == 0 && _health.Count == 0)
                {
                    break;
                }

                await FlushAsync(dataSource, follower, batch, timeout.Token);
            }
        }
#pragma warning disable CA1031 // Shutdown must finish whatever the database does; the lines stay in the files.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            StoreLog.FinalFlushFailed(_logger, ex is OperationCanceledException ? "out of time" : DatabaseErrors.Describe(ex, target));
        }

        _stats.SetPendingBytes(follower.PendingBytes);
        StoreLog.Stopped(_logger, _stats.Lines, _stats.RowsInserted, _stats.RowsDuplicate, _stats.SkippedLines, follower.PendingBytes);
    }

    private async Task FlushAsync(NpgsqlDataSource dataSource, FolderFollower follower, StoreBatch batch, CancellationToken ct)
    {
        var (health, healthSeq) = _health.Peek(MaxHealthRowsPerBatch);
        var (logs, logSeq) = _logs.Peek(MaxLogRowsPerBatch);
        var bookkeeping = new Bookkeeping(_options.CollectorId, InstanceId, AppVersion.Value, follower.PositionUpdates(batch), health, logs);

        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            var result = await BatchWriter.WriteAsync(connection, batch, bookkeeping, ct);
            follower.Commit(batch);
            _health.RemoveThrough(healthSeq);
            _logs.RemoveThrough(logSeq);
            long? lag = batch.NewestRecord is { } newest ? (long)(_time.GetUtcNow().UtcDateTime - newest).TotalMilliseconds : null;
            _stats.RecordFlush(batch.Lines, batch.SkippedLines, result.RowsInserted, result.RowsDuplicate, lag);
        }

        batch.Clear();
        _lastFlush = _time.GetTimestamp();
        ReportDroppedOutboxRows();

        // The database's answer may have arrived on the socket thread (inline completions); what follows reads and
        // parses the day files.
        await SocketThread.Leave();
    }

    private bool FlushDue(StoreBatch batch) =>
        batch.FirstLineTimestamp is { } first && _time.GetElapsedTime(first) >= _options.FlushInterval;

    private bool OutboxDue() =>
        (_logs.Count > 0 || _health.Count > 0) && _time.GetElapsedTime(_lastFlush) >= _options.FlushInterval;

    private TimeSpan PollDelay(StoreBatch batch)
    {
        if (batch.FirstLineTimestamp is not { } first)
        {
            return PollInterval;
        }

        var untilDue = _options.FlushInterval - _time.GetElapsedTime(first);
        return untilDue < PollInterval ? (untilDue > TimeSpan.Zero ? untilDue : TimeSpan.FromMilliseconds(1)) : PollInterval;
    }

    private async Task<Dictionary<string, FileProgress>> LoadPositionsAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var saved = new Dictionary<string, FileProgress>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand("SELECT file_name, byte_offset, line_count FROM ingest_positions WHERE collector_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = _options.CollectorId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            saved[reader.GetString(0)] = new FileProgress(reader.GetInt64(1), reader.GetInt64(2));
        }

        return saved;
    }

    private async Task ReportUnusableUrlAsync(CancellationToken stoppingToken)
    {
        // Repeated now and then, so someone reading the journal days later still finds out why the tables stay empty.
        while (!stoppingToken.IsCancellationRequested)
        {
            StoreLog.UnusableUrl(_logger, _options.UrlError ?? "DATABASE_URL cannot be used");
            try
            {
                await Task.Delay(UnusableUrlReminder, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void ReportFailure(Exception ex, DatabaseTarget target, TimeSpan delay)
    {
        // Every failure counts in the outage; an unexpected one is always logged, with its stack, on its own line.
        var report = _outage.Failed();
        if (!DatabaseErrors.IsDatabaseFailure(ex) && ex is not PostgresException)
        {
            StoreLog.Unexpected(_logger, ex, delay.TotalSeconds);
            return;
        }

        var problem = DatabaseErrors.Describe(ex, target);
        switch (report)
        {
            case OutageReport.First:
                StoreLog.DatabaseFailed(_logger, problem, delay.TotalSeconds);
                break;
            case OutageReport.Reminder:
                StoreLog.DatabaseStillFailing(_logger, problem, _outage.Failures, _outage.Duration.TotalMinutes, delay.TotalSeconds, _stats.PendingBytes);
                break;
        }
    }

    private void ReportSchema(MigrationReport report)
    {
        if (report.Applied.Count > 0)
        {
            StoreLog.SchemaReady(_logger, report.Version, string.Join(", ", report.Applied.Select(m => $"{m.Version} ({m.Name})")));
        }

        if (report.Unknown.Count > 0)
        {
            StoreLog.SchemaNewer(_logger, string.Join(", ", report.Unknown));
        }

        if (report.Edited.Count > 0)
        {
            StoreLog.SchemaEdited(_logger, string.Join(", ", report.Edited));
        }
    }

    private void OnSkipped(string file, long line, LineOutcome outcome)
    {
        if (_time.GetElapsedTime(_skipWindowStart) >= TimeSpan.FromMinutes(1))
        {
            if (_skipsSuppressed > 0)
            {
                StoreLog.LinesSkippedSummary(_logger, _skipsSuppressed);
            }

            _skipWindowStart = _time.GetTimestamp();
            _skipsLoggedInWindow = 0;
            _skipsSuppressed = 0;
        }

        // An unknown record type is a newer recorder's record, reported once by name, not a problem per line.
        if (outcome == LineOutcome.UnknownType)
        {
            return;
        }

        if (_skipsLoggedInWindow < SkippedLinesLoggedPerMinute)
        {
            _skipsLoggedInWindow++;
            StoreLog.LineSkipped(_logger, file, line, outcome == LineOutcome.Unparseable ? "not one JSON object" : "a record missing a key field (ts, ticker, trade_id…)");
        }
        else
        {
            _skipsSuppressed++;
        }
    }

    private void ReportUnknownNames()
    {
        foreach (var name in _parser.TakeNewUnknownNames())
        {
            StoreLog.UnknownName(_logger, name);
        }
    }

    private void ReportDroppedOutboxRows()
    {
        var dropped = _logs.Dropped + _health.Dropped;
        if (dropped > _droppedReported)
        {
            StoreLog.OutboxDropped(_logger, _logs.Dropped, _health.Dropped);
            _droppedReported = dropped;
        }
    }

    /// <summary>Says once per session, when the files have all been read, how much the catch-up stored.</summary>
    private sealed class SessionTotals(TimeProvider time, StoreStats stats)
    {
        private readonly long _startTimestamp = time.GetTimestamp();
        private readonly long _linesAtStart = stats.Lines;
        private readonly long _rowsAtStart = stats.RowsInserted;
        private readonly long _duplicatesAtStart = stats.RowsDuplicate;
        private bool _reported;

        public void MaybeReportCaughtUp(ILogger logger, int files)
        {
            if (_reported)
            {
                return;
            }

            _reported = true;
            StoreLog.CaughtUp(
                logger,
                stats.Lines - _linesAtStart,
                files,
                stats.RowsInserted - _rowsAtStart,
                stats.RowsDuplicate - _duplicatesAtStart,
                time.GetElapsedTime(_startTimestamp).TotalSeconds);
        }
    }
}
