using KxCollector.Kalshi.Settlements;
using KxCollector.Pricing;
using KxCollector.Recording;
using KxCollector.Records;

namespace KxCollector.Kalshi.Index;

/// <summary>A series whose file receives the prints of the index it settles on.</summary>
internal sealed record IndexSeries(string Series, string Prefix, string IndexId, IRecordSink Sink);

/// <summary>
/// Writes each official print once, as it arrives, as an <see cref="IndexRecord"/> in the file of every series settling on it. A print whose stamp is not newer than the last one written for its index (Kalshi repeating
/// it after a reconnect, or after a restart: the last one is read back from the files at start) is not written again.
/// The line goes to the file of its own stamp's UTC day, so a day's file holds exactly that day's prints.
/// Called on the stream's socket thread: with a <see cref="RecordHandOff"/> the line is handed over, not written there.
/// </summary>
internal sealed class IndexRecorder
{
    private readonly OfficialIndexBoard _board;
    private readonly IndexSeries[][] _seriesBySlot;
    private readonly long[] _lastWrittenMs;
    private readonly Lock _gate = new();
    private long _written;
    private long _repeats;
    private readonly RecordHandOff? _handOff;

    public IndexRecorder(OfficialIndexBoard board, IReadOnlyList<IndexSeries> series, string directory, DateTimeOffset now, RecordHandOff? handOff = null)
    {
        _handOff = handOff;
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(series);
        _board = board;
        _seriesBySlot = board.IndexIds.Select(id => series.Where(s => s.IndexId == id).ToArray()).ToArray();
        _lastWrittenMs = new long[board.IndexIds.Count];
        Array.Fill(_lastWrittenMs, long.MinValue);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (var slot = 0; slot < _lastWrittenMs.Length; slot++)
        {
            foreach (var s in _seriesBySlot[slot])
            {
                foreach (var date in new[] { today.AddDays(-1), today })
                {
                    if (DataFileScanner.LastIndexPrintMs(Path.Combine(directory, DayFileName.Of(s.Prefix, date)), board.IndexIds[slot]) is { } ms)
                    {
                        _lastWrittenMs[slot] = Math.Max(_lastWrittenMs[slot], ms);
                    }
                }
            }
        }
    }

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Prints received again (reconnect, restart) and not written again.</summary>
    public long Repeats => Interlocked.Read(ref _repeats);

    /// <summary>Writes the frame's print unless it was written before, and keeps Kalshi's average. True when written.</summary>
    public bool Record(IndexFrame frame, DateTimeOffset receivedAt)
    {
        var print = frame.Print;
        var slot = _board.SlotOf(print.IndexId);
        if (slot < 0)
        {
            return false;
        }

        if (frame.LastWindowAverage is { } average)
        {
            _board.RecordAverage(slot, average);
        }

        lock (_gate)
        {
            if (print.TimeMs <= _lastWrittenMs[slot])
            {
                Interlocked.Increment(ref _repeats);
                return false;
            }

            _lastWrittenMs[slot] = print.TimeMs;
        }

        var line = Format(print, receivedAt);
        foreach (var series in _seriesBySlot[slot])
        {
            if (_handOff is null)
            {
                series.Sink.Append(print.Time, line);
            }
            else
            {
                // One array per sink: the queue owns what it is given.
                _handOff.Append(series.Sink, print.Time, _seriesBySlot[slot].Length == 1 ? line : (byte[])line.Clone());
            }
        }

        _board.Publish(slot, print);
        Interlocked.Increment(ref _written);
        return true;
    }

    /// <remarks>Kalshi's own receive time; ours only when Kalshi left it out.</remarks>
    public static byte[] Format(IndexPrint print, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(print);
        return new IndexRecord(
            print.Time, print.IndexId, print.Value, print.ReceivedAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(print.ReceivedAtMs) : receivedAt).Format();
    }
}
