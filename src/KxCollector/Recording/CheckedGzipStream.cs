using System.Buffers.Binary;
using System.IO.Compression;

namespace KxCollector.Recording;

/// <summary>
/// Decompresses a .gz and, at its end, checks the length the gzip trailer states (ISIZE, the uncompressed size mod
/// 2^32) against what came out. .NET's GZipStream ends quietly at the end of a truncated file, which would make a
/// cut-off day look like a shorter, complete one; this turns that into an <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class CheckedGzipStream : Stream
{
    private readonly FileStream _file;
    private readonly GZipStream _gzip;
    private readonly uint? _statedLength;
    private long _produced;
    private bool _checked;

    public CheckedGzipStream(FileStream file)
    {
        _file = file;
        _statedLength = ReadTrailer(file);
        _gzip = new GZipStream(file, CompressionMode.Decompress);
    }

    /// <summary>How far into the compressed file the decompressor has read (for progress).</summary>
    public long CompressedPosition => _file.Position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _produced;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _gzip.Read(buffer);
        _produced += read;
        if (read == 0 && buffer.Length > 0)
        {
            Check();
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Check()
    {
        if (_checked)
        {
            return;
        }

        _checked = true;
        if (_statedLength is not { } stated || (uint)_produced != stated)
        {
            throw new InvalidDataException($"{_file.Name} is truncated or corrupt: it decompresses to {_produced} bytes, its gzip trailer says {(_statedLength is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "nothing")} (mod 2^32)");
        }
    }

    private static uint? ReadTrailer(FileStream file)
    {
        if (file.Length < 18)
        {
            return null;
        }

        Span<byte> trailer = stackalloc byte[4];
        var start = file.Position;
        file.Position = file.Length - 4;
        file.ReadExactly(trailer);
        file.Position = start;
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }
}
