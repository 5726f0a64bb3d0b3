using System.IO.Compression;
using KxCollector.Recording;

namespace KxCollector.Archive;

/// <summary>The points of a compression between which a crash can happen (the tests stop there).</summary>
internal enum CompressionStep
{
    PartialWritten,
    PartialSynced,
    Renamed,
    DirectorySynced,
    PlainRemoved,
}

/// <summary>What became of one finished day's plain file.</summary>
internal enum CompressionOutcome
{
    Compressed,

    /// <summary>A crash had left both copies, equal: the plain one was removed.</summary>
    Finished,

    /// <summary>Both copies exist and differ (lines appended after compression): both are left, and it is logged.</summary>
    Differs,
}

/// <summary>
/// Compresses one finished day file to <c>&lt;name&gt;.jsonl.gz</c> so that a crash at any point leaves one complete
/// copy that every reader finds: the .gz is written under a hidden temporary name, fsynced, renamed into place, the
/// folder fsynced, and only then the plain file removed. Readers take the plain file while both exist (they are the
/// same lines). Reads and writes in chunks, at most <see cref="MaxBytesPerSecond"/> when set, so a day of several
/// hundred MB never takes the disk or a core from the tick.
/// </summary>
internal sealed class DayCompressor(TimeProvider time, long maxBytesPerSecond, Action<CompressionStep>? afterStep = null)
{
    private const int ChunkBytes = 1 << 20;

    public long MaxBytesPerSecond { get; } = maxBytesPerSecond;

    public CompressionOutcome Compress(string plainPath, CancellationToken ct)
    {
        var compressed = DayFileName.CompressedPathOf(plainPath);
        var directory = Path.GetDirectoryName(plainPath)!;
        if (File.Exists(compressed))
        {
            // A crash after the rename: the .gz is complete (it was synced before it got its name). Remove the plain
            // copy only if it is the same lines; anything else is data nobody should lose.
            if (!SameContent(plainPath, compressed, ct))
            {
                return CompressionOutcome.Differs;
            }

            RemovePlain(plainPath, directory);
            return CompressionOutcome.Finished;
        }

        var partial = DayFileName.PartialPathOf(plainPath);
        try
        {
            using (var source = new FileStream(plainPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0))
            using (var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                using (var gzip = new GZipStream(target, CompressionLevel.Optimal, leaveOpen: true))
                {
                    Copy(source, gzip, ct);
                }

                afterStep?.Invoke(CompressionStep.PartialWritten);
                target.Flush(flushToDisk: true);
            }

            afterStep?.Invoke(CompressionStep.PartialSynced);

            // Checked before it replaces anything: a .gz that does not decompress to the plain file is never kept.
            if (!SameContent(plainPath, partial, ct))
            {
                throw new InvalidDataException($"{partial} does not decompress to {plainPath}");
            }

            File.Move(partial, compressed, overwrite: false);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        afterStep?.Invoke(CompressionStep.Renamed);
        DirectorySync.TryFsync(directory);
        afterStep?.Invoke(CompressionStep.DirectorySynced);
        RemovePlain(plainPath, directory);
        return CompressionOutcome.Compressed;
    }

    private void RemovePlain(string plainPath, string directory)
    {
        File.Delete(plainPath);
        DirectorySync.TryFsync(directory);
        afterStep?.Invoke(CompressionStep.PlainRemoved);
    }

    /// <summary>True when the .gz decompresses (trailer checked) to exactly the plain file's bytes.</summary>
    private bool SameContent(string plainPath, string compressedPath, CancellationToken ct)
    {
        var a = new byte[ChunkBytes];
        var b = new byte[ChunkBytes];
        try
        {
            using var plain = new FileStream(plainPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            using var unpacked = DayFiles.OpenCompressed(compressedPath);
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var read = ReadFull(plain, a);
                var other = ReadFull(unpacked, b);
                Throttle(read);
                if (read != other || !a.AsSpan(0, read).SequenceEqual(b.AsSpan(0, other)))
                {
                    return false;
                }

                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private void Copy(Stream source, Stream target, CancellationToken ct)
    {
        var buffer = new byte[ChunkBytes];
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            target.Write(buffer, 0, read);
            Throttle(read);
        }
    }

    private void Throttle(int bytes)
    {
        if (MaxBytesPerSecond <= 0 || bytes == 0)
        {
            return;
        }

        // Runs on the archive's own low-priority thread: blocking it costs nothing else.
        Task.Delay(TimeSpan.FromSeconds(bytes / (double)MaxBytesPerSecond), time).GetAwaiter().GetResult();
    }

    private static int ReadFull(Stream stream, byte[] buffer)
    {
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        return total;
    }
}
