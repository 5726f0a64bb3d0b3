using KxCollector.Records;
using System.Globalization;
using System.Text;
using KxCollector.Archive;
using KxCollector.Recording;

namespace KxCollector.Status;

/// <summary>
/// Counts the lines and ticks of a day's data file by reading it, so the figures are what reached the file (and
/// survive restarts), not what one process believes it wrote. Incremental: each call reads only the bytes appended
/// since the last call, so the status writer can call it every second on a file that grows to ~15 MB a day.
/// Only whole lines are counted; a line still being written is read on the next call. Not thread-safe.
/// </summary>
internal sealed class DayFileScanner
{
    /// <summary>Every tick line starts with these bytes: the tick's writer puts "type" then "ts" first.</summary>
    private static readonly byte[] TickPrefix = System.Text.Encoding.UTF8.GetBytes(TickRecord.LinePrefixText + "\"" + RecordJson.Ts + "\":\"");

    private readonly byte[] _buffer = new byte[64 * 1024];
    private string? _path;
    private long _offset;
    private long _lines;
    private long _ticks;
    private DateTimeOffset? _firstTick;
    private DateTimeOffset? _lastTick;
    private byte[] _carry = [];

    public DayFileFacts Scan(string path, DateOnly date)
    {
        // A finished day asked about after it was compressed: counted once from its .gz (it no longer changes).
        if (!File.Exists(path) && DayFiles.Locate(path) is { } compressed)
        {
            return ScanCompressed(compressed, date);
        }

        if (!string.Equals(path, _path, StringComparison.Ordinal))
        {
            Reset(path);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            Reset(path);
            return new DayFileFacts(date, path, false, 0, 0, 0, null, null);
        }

        using (stream)
        {
            var length = stream.Length;
            if (length < _offset)
            {
                // Replaced or cut back (a torn tail repaired on reopen): count it again from the start.
                Reset(path);
            }

            stream.Position = _offset;
            int read;
            while ((read = stream.Read(_buffer)) > 0)
            {
                Consume(_buffer.AsSpan(0, read));
                _offset += read;
            }

            return new DayFileFacts(date, path, true, _offset, _lines, _ticks, _firstTick, _lastTick);
        }
    }

    private DayFileFacts ScanCompressed(string path, DateOnly date)
    {
        if (!string.Equals(path, _path, StringComparison.Ordinal))
        {
            Reset(path);
            using var stream = DayFiles.OpenRead(path);
            int read;
            while ((read = stream.Read(_buffer)) > 0)
            {
                Consume(_buffer.AsSpan(0, read));
                _offset += read;
            }
        }

        return new DayFileFacts(date, path, true, _offset, _lines, _ticks, _firstTick, _lastTick);
    }

    /// <summary>The tick time of a line, or null when the line is not a tick.</summary>
    internal static DateTimeOffset? TickTime(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith(TickPrefix))
        {
            return null;
        }

        var rest = line[TickPrefix.Length..];
        var end = rest.IndexOf((byte)'"');
        if (end <= 0 || end > 40)
        {
            return null;
        }

        Span<char> chars = stackalloc char[end];
        Encoding.ASCII.GetChars(rest[..end], chars);
        return DateTimeOffset.TryParseExact(chars, JsonTimestamps.Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts)
            ? ts
            : null;
    }

    private void Consume(ReadOnlySpan<byte> chunk)
    {
        while (true)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _carry = [.. _carry, .. chunk];
                return;
            }

            if (_carry.Length > 0)
            {
                byte[] line = [.. _carry, .. chunk[..newline]];
                _carry = [];
                CountLine(line);
            }
            else
            {
                CountLine(chunk[..newline]);
            }

            chunk = chunk[(newline + 1)..];
        }
    }

    private void CountLine(ReadOnlySpan<byte> line)
    {
        _lines++;
        if (TickTime(line) is { } ts)
        {
            _ticks++;
            _firstTick ??= ts;
            _lastTick = ts;
        }
    }

    private void Reset(string path)
    {
        _path = path;
        _offset = 0;
        _lines = 0;
        _ticks = 0;
        _firstTick = null;
        _lastTick = null;
        _carry = [];
    }
}
