using Microsoft.Extensions.Logging;

namespace KxCollector.Recording;

/// <summary>
/// A JSONL file opened for appending whole lines. Each <see cref="Append"/> is one unbuffered write at the end of
/// the file, so a line reaches the OS whole or (after a rollback) not at all.
/// </summary>
internal sealed partial class AppendOnlyFile : IAppendFile
{
    /// <summary>Where a torn fragment is kept instead of being silently dropped.</summary>
    public const string TornSuffix = ".torn";

    private readonly Stream _stream;
    private long _length;

    /// <summary>Wraps an open stream positioned anywhere; tests pass one that fails on demand.</summary>
    internal AppendOnlyFile(string path, Stream stream, long length)
    {
        Path = path;
        _stream = stream;
        _length = length;
    }

    public string Path { get; }

    public long Length => _length;

    public static AppendOnlyFile Open(string path, ILogger logger)
    {
        var existed = File.Exists(path);

        // bufferSize 0: no user-space buffer, every Write is a write(2) of the whole line. FileShare.Read lets jq,
        // tail and `verify` read the file while we write it.
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.None);
        try
        {
            var length = RepairTornTail(path, stream, logger);
            stream.Seek(length, SeekOrigin.Begin);
            if (!existed)
            {
                // Make the new file's directory entry durable too, or a crash could lose the whole file.
                DirectorySync.TryFsync(System.IO.Path.GetDirectoryName(path)!);
            }

            return new AppendOnlyFile(path, stream, length);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public void Append(ReadOnlySpan<byte> lines)
    {
        var before = _length;
        try
        {
            _stream.Position = before;
            _stream.Write(lines);
            _length = before + lines.Length;
        }
        catch (IOException)
        {
            // A full disk can accept part of a write. Cut the file back so the fragment cannot become a torn line;
            // if even that fails, the next open repairs the tail.
            try
            {
                _stream.SetLength(before);
            }
            catch (IOException)
            {
            }

            throw;
        }
    }

    public void FlushToDisk()
    {
        if (_stream is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
        else
        {
            _stream.Flush();
        }
    }

    public void Dispose()
    {
        try
        {
            FlushToDisk();
        }
        catch (IOException)
        {
        }

        _stream.Dispose();
    }

    /// <summary>
    /// When the file does not end in a newline (a crash or power loss mid-write), moves the fragment after the last
    /// newline to "&lt;file&gt;.torn" and truncates it away, so it cannot glue onto the next line we write.
    /// Returns the repaired length.
    /// </summary>
    internal static long RepairTornTail(string path, Stream stream, ILogger logger)
    {
        var length = stream.Length;
        if (length == 0)
        {
            return 0;
        }

        Span<byte> one = stackalloc byte[1];
        stream.Position = length - 1;
        if (stream.Read(one) == 1 && one[0] == (byte)'\n')
        {
            return length;
        }

        var keep = FindLengthThroughLastNewline(stream, length);
        var fragment = new byte[length - keep];
        stream.Position = keep;
        stream.ReadExactly(fragment);

        using (var torn = new FileStream(path + TornSuffix, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            torn.Write(fragment);
            torn.WriteByte((byte)'\n');
            torn.Flush(flushToDisk: true);
        }

        stream.SetLength(keep);
        if (stream is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }

        LogTornTailRepaired(logger, path, fragment.Length, path + TornSuffix);
        return keep;
    }

    private static long FindLengthThroughLastNewline(Stream stream, long length)
    {
        var buffer = new byte[64 * 1024];
        var end = length;
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            var count = (int)(end - start);
            stream.Position = start;
            stream.ReadExactly(buffer, 0, count);
            var index = buffer.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (index >= 0)
            {
                return start + index + 1;
            }

            end = start;
        }

        return 0;
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning,
        Message = "Repaired {Path}: its last line was torn ({Bytes} bytes, a crash mid-write); the fragment was moved to {TornPath}")]
    private static partial void LogTornTailRepaired(ILogger logger, string path, int bytes, string tornPath);
}

internal sealed class AppendOnlyFileOpener(ILogger<AppendOnlyFile> logger) : IAppendFileOpener
{
    public IAppendFile Open(string path) => AppendOnlyFile.Open(path, logger);
}
