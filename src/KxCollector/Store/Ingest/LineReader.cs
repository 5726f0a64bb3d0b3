namespace KxCollector.Store.Ingest;

/// <summary>Receives one whole line (without its '\n') and the offset just past it; returns false to stop reading.</summary>
internal delegate bool LineHandler(ReadOnlySpan<byte> line, long endOffset);

/// <summary>
/// Splits a stream into whole lines. Only text ending in '\n' is a line: the recorder writes each line with its
/// newline in one write, so bytes after the last '\n' are a line still being written (or a torn fragment the
/// writer will move aside) and are never handed out. Keeps its buffer between calls, so a caller can stop after a
/// batch, await the database, and carry on where it stopped.
/// </summary>
internal sealed class LineReader
{
    /// <summary>A "line" longer than this is not a record: the file is not one of ours.</summary>
    public const int MaxLineBytes = 64 * 1024 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public LineReader(Stream stream, long startOffset, int bufferSize = 64 * 1024)
    {
        _stream = stream;
        _buffer = new byte[bufferSize];
        Offset = startOffset;
    }

    /// <summary>The offset just past the last line handed out.</summary>
    public long Offset { get; private set; }

    /// <summary>Lines handed out so far.</summary>
    public long LinesRead { get; private set; }

    /// <summary>True once the stream is exhausted and every whole line in it was handed out.</summary>
    public bool AtEnd => _eof && _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n') < 0;

    /// <summary>Bytes after the last '\n' at the end of the stream (an unfinished line); meaningful once <see cref="AtEnd"/>.</summary>
    public int TrailingBytes => _end - _start;

    /// <summary>Hands out lines until <paramref name="handler"/> returns false or the stream has no more whole lines.</summary>
    public void Read(LineHandler handler)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                Offset += newline + 1;
                LinesRead++;
                if (!handler(pending[..newline], Offset))
                {
                    return;
                }

                continue;
            }

            if (_eof || !Fill())
            {
                return;
            }
        }
    }

    private bool Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
            {
                throw new InvalidDataException($"a line longer than {MaxLineBytes / (1024 * 1024)} MB at byte {Offset}: not a JSONL data file");
            }

            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineBytes));
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return false;
        }

        _end += read;
        return true;
    }
}
