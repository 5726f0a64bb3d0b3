using KxCollector.Records;
using System.Text.Json;
using KxCollector.Recording;
using KxCollector.Status;
using KxCollector.Store.Ingest;

namespace KxCollector.StatusPage;

/// <summary>One recorded tick as the status page draws it: the numbers exactly as the line holds them.</summary>
internal sealed record RecentTick(
    DateTimeOffset Ts,
    decimal? Brti,
    decimal? OfficialIndex,
    decimal? Coinbase,
    decimal? Kraken,
    decimal? Bitstamp,
    IReadOnlyList<RecentQuote> Markets);

/// <summary>One market entry of a recorded tick: its yes quote in cents and its state.</summary>
internal sealed record RecentQuote(string Ticker, string? Status, decimal? YesBid, decimal? YesAsk, long? SecsLeft);

/// <summary>
/// The last hour of the primary series' ticks, read from its data files (what was recorded, not what the tick loop
/// believes it wrote), for the status page. Follows the day's file incrementally: each call reads only the whole lines
/// appended since the last one (the store's <see cref="LineReader"/>), so the tick loop gains nothing and a poll costs
/// a few new lines. Memory is bounded by the window: older ticks are dropped, and a tick keeps at most
/// <see cref="MaxMarketsPerTick"/> market entries. On first use the previous UTC day's file is read too when the
/// window reaches into it. Thread-safe (one lock; the page polls every few seconds).
/// </summary>
internal sealed class RecentTicks
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>More live markets than a series has: a guard on memory, not a limit a real series meets.</summary>
    public const int MaxMarketsPerTick = 32;

    private readonly Lock _gate = new();
    private readonly Func<DateOnly, string?> _pathFor;
    private readonly Queue<RecentTick> _ticks = new();
    private string? _path;
    private long _offset;

    /// <param name="pathFor">The primary series' file of a day; null while there is no primary series yet
    /// (TARGET_SPORTS alone, before Kalshi has answered).</param>
    public RecentTicks(Func<DateOnly, string?> pathFor) => _pathFor = pathFor;

    /// <summary>The ticks stamped in the hour up to <paramref name="now"/>, oldest first.</summary>
    public IReadOnlyList<RecentTick> Read(DateTimeOffset now)
    {
        lock (_gate)
        {
            var from = now - Window;
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            if (_pathFor(today) is not { } todayPath)
            {
                return [];
            }

            if (_path is null && DateOnly.FromDateTime(from.UtcDateTime) is var yesterday && yesterday < today && _pathFor(yesterday) is { } yesterdayPath)
            {
                Follow(yesterdayPath, from);
            }
            else if (_path is not null && !string.Equals(_path, todayPath, StringComparison.Ordinal))
            {
                // The day rolled over: the last seconds of the old file first.
                Follow(_path, from);
            }

            Follow(todayPath, from);
            while (_ticks.TryPeek(out var oldest) && oldest.Ts < from)
            {
                _ticks.Dequeue();
            }

            return _ticks.ToList();
        }
    }

    private void Follow(string path, DateTimeOffset from)
    {
        if (!string.Equals(path, _path, StringComparison.Ordinal))
        {
            _path = path;
            _offset = 0;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }

        using (stream)
        {
            if (stream.Length < _offset)
            {
                // Cut back (a torn tail repaired on reopen): what was read stays; read the file's lines again from the start
                // and keep only seconds not already held.
                _offset = 0;
            }

            stream.Position = _offset;
            var reader = new LineReader(stream, _offset);
            var newest = _ticks.Count > 0 ? _ticks.Last().Ts : DateTimeOffset.MinValue;
            reader.Read((line, _) =>
            {
                if (DayFileScanner.TickTime(line) is { } ts && ts >= from && ts > newest && Parse(line) is { } tick)
                {
                    _ticks.Enqueue(tick);
                    newest = ts;
                }

                return true;
            });
            _offset = reader.Offset;
        }
    }

    private static RecentTick? Parse(ReadOnlySpan<byte> line)
    {
        TickRecord tick;
        try
        {
            tick = TickRecord.Read(line);
        }
        catch (FormatException)
        {
            // Not a tick this page can draw (verify reports such lines); the page shows the others.
            return null;
        }

        var markets = tick.Markets.Take(MaxMarketsPerTick)
            .Select(m => new RecentQuote(m.Ticker, m.Status.Length > 0 ? m.Status : null, m.Quote.YesBid, m.Quote.YesAsk, m.SecsLeft))
            .ToList();
        return new RecentTick(
            tick.Ts, tick.Exchange?.Brti, tick.Official?.Value, tick.Exchange?.Coinbase, tick.Exchange?.Kraken, tick.Exchange?.Bitstamp, markets);
    }
}
