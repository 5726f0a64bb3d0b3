using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Index;

/// <summary>
/// The <c>cfbenchmarks_value</c> subscription as the stream's lifecycle connection sees it, across its sessions:
/// which index ids to ask for, whether to ask now, what Kalshi answered (status shows it), and the frames it
/// delivers (handed to the <see cref="IndexRecorder"/>). A refusal costs this channel only: one warning, and the
/// subscribe is tried again every <see cref="RetryRefusedAfter"/>, never by reconnecting.
/// </summary>
internal sealed partial class OfficialIndexFeed
{
    public static readonly TimeSpan RetryRefusedAfter = TimeSpan.FromMinutes(10);

    private readonly IndexRecorder _recorder;
    private readonly ILogger _logger;
    private volatile FeedState _state = new(OfficialIndexState.Pending, null, null);
    private long _malformed;
    private bool _warned;

    public OfficialIndexFeed(OfficialIndexBoard board, IndexRecorder recorder, ILogger logger, TimeSpan? retryRefusedAfter = null)
    {
        ArgumentNullException.ThrowIfNull(board);
        Board = board;
        _recorder = recorder;
        _logger = logger;
        RetryAfter = retryRefusedAfter ?? RetryRefusedAfter;
    }

    public OfficialIndexBoard Board { get; }

    public IReadOnlyList<string> IndexIds => Board.IndexIds;

    public TimeSpan RetryAfter { get; }

    public IndexRecorder Recorder => _recorder;

    public OfficialIndexState State => _state.State;

    /// <summary>Kalshi's code and message of the last refusal, while refused.</summary>
    public string? RefusedError => _state.Error;

    public long MalformedFrames => Interlocked.Read(ref _malformed);

    /// <summary>True when a subscribe should be sent now: never refused, or refused at least <see cref="RetryAfter"/> ago.</summary>
    public bool ShouldSubscribe(DateTimeOffset now)
    {
        var state = _state;
        return state.State != OfficialIndexState.Refused || state.RefusedAt is not { } at || now - at >= RetryAfter;
    }

    public void OnSubscribing(DateTimeOffset now)
    {
        var state = _state;
        if (state.State != OfficialIndexState.Refused)
        {
            _state = state with { State = OfficialIndexState.Pending };
        }
        else
        {
            // Still refused until Kalshi says otherwise; the retry clock restarts so one retry is sent per period.
            _state = state with { RefusedAt = now };
        }

        LogSubscribing(_logger, string.Join(",", IndexIds));
    }

    public void OnSubscribed()
    {
        _state = new FeedState(OfficialIndexState.Subscribed, null, null);
        _warned = false;
        LogSubscribed(_logger, string.Join(",", IndexIds));
    }

    public void OnRefused(string? code, string? message, DateTimeOffset now)
    {
        var error = $"code {code ?? "none"}: {message ?? string.Empty}";
        _state = new FeedState(OfficialIndexState.Refused, error, now);
        if (!_warned)
        {
            _warned = true;
            LogRefused(_logger, string.Join(",", IndexIds), error, RetryAfter.TotalMinutes);
        }
        else
        {
            LogRefusedAgain(_logger, error);
        }
    }

    /// <summary>The connection's session ended: the subscription has to be made again on the next one.</summary>
    public void OnSessionEnded()
    {
        var state = _state;
        if (state.State == OfficialIndexState.Subscribed)
        {
            _state = state with { State = OfficialIndexState.Pending };
        }
    }

    /// <summary>A cfbenchmarks_value frame: false when it is malformed (counted and skipped).</summary>
    public bool OnFrame(ReadOnlySpan<byte> json, DateTimeOffset now)
    {
        if (!IndexFrameReader.TryRead(json, out var frame, out var error))
        {
            var count = Interlocked.Increment(ref _malformed);
            if (count <= 10 || count % 1000 == 0)
            {
                LogMalformed(_logger, error ?? "unknown", count);
            }

            return false;
        }

        _recorder.Record(frame, now);
        return true;
    }

    private sealed record FeedState(OfficialIndexState State, string? Error, DateTimeOffset? RefusedAt);

    [LoggerMessage(EventId = 440, Level = LogLevel.Information, Message = "Official index: subscribing cfbenchmarks_value for {Indexes}")]
    private static partial void LogSubscribing(ILogger logger, string indexes);

    [LoggerMessage(EventId = 441, Level = LogLevel.Information, Message = "Official index: cfbenchmarks_value subscribed for {Indexes}")]
    private static partial void LogSubscribed(ILogger logger, string indexes);

    [LoggerMessage(EventId = 442, Level = LogLevel.Warning,
        Message = "Official index: Kalshi refused cfbenchmarks_value for {Indexes} ({Error}); ticks write official_index null, the rest of the stream is unaffected; retried every {Minutes:F0} min")]
    private static partial void LogRefused(ILogger logger, string indexes, string error, double minutes);

    [LoggerMessage(EventId = 443, Level = LogLevel.Debug, Message = "Official index: cfbenchmarks_value refused again ({Error})")]
    private static partial void LogRefusedAgain(ILogger logger, string error);

    [LoggerMessage(EventId = 444, Level = LogLevel.Warning, Message = "Official index: malformed cfbenchmarks_value frame skipped ({Reason}); {Count} so far")]
    private static partial void LogMalformed(ILogger logger, string reason, long count);
}

/// <summary>What status shows of the official index subscription.</summary>
internal enum OfficialIndexState
{
    /// <summary>Asked for (or to be asked on the next connection), not yet answered.</summary>
    Pending,
    Subscribed,
    Refused,
}
