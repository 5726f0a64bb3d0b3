namespace KxCollector.Recording;

/// <summary>
/// The whole lines of a JSONL stream, each with the offset it starts at and without its '\n'. A last line with no
/// '\n' is a write still in progress (or torn by a crash) and is not returned. For scanners that read a file once;
/// the store's follower, which resumes mid-file, has its own reader.
/// </summary>
internal static class JsonlLines
{
    /// <param name="from">Where to start (a seekable stream is positioned there; otherwise it must already be).</param>
    /// <param name="skipPartial">Starting mid-file: drop the text up to the first '\n' (the end of a line begun earlier).</param>
    public static IEnumerable<(long Offset, ReadOnlyMemory<byte> Line)> Read(Stream stream, long from = 0, bool skipPartial = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadIterator(stream, from, skipPartial);
    }

    private static IEnumerable<(long Offset, ReadOnlyMemory<byte> Line)> ReadIterator(Stream stream, long from, bool skipPartial)
    {
        var buffer = new byte[64 * 1024];
        var pending = new MemoryStream();
        if (stream.CanSeek)
        {
            stream.Position = from;
        }

        var offset = from;
        var lineStart = from;
        var skipping = skipPartial && from > 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var position = 0;
            while (position < read)
            {
                var newline = buffer.AsSpan(position, read - position).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    if (!skipping)
                    {
                        pending.Write(buffer, position, read - position);
                    }

                    break;
                }

                if (skipping)
                {
                    skipping = false;
                }
                else
                {
                    pending.Write(buffer, position, newline);
                    var line = pending.ToArray();
                    pending.SetLength(0);
                    yield return (lineStart, line);
                }

                position += newline + 1;
                lineStart = offset + position;
            }

            offset += read;
        }
    }
}
