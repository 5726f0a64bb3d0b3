using System.Buffers;

namespace KxCollector.Net;

/// <summary>
/// The receive loop's pooled buffer: it starts small, doubles while a message is longer (up to the limit), and goes
/// back to its first size after a freak message, so one large message does not pin megabytes for the process's life.
/// </summary>
internal sealed class ReceiveBuffer : IDisposable
{
    // Venues' ordinary messages are a few KB (a Bitstamp 100-level book is ~6 KB); only freak ones go past this.
    private const int ShrinkAboveBytes = 1024 * 1024;

    private readonly int _initialBytes;
    private readonly int _maxBytes;
    private byte[] _array;

    public ReceiveBuffer(int initialBytes, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, initialBytes);
        _initialBytes = initialBytes;
        _maxBytes = maxBytes;
        _array = ArrayPool<byte>.Shared.Rent(initialBytes);
    }

    public int Length => _array.Length;

    public Memory<byte> Memory => _array;

    public Span<byte> Span => _array;

    /// <summary>Makes room past <paramref name="keep"/> bytes, keeping them; false when the buffer is already at the limit.</summary>
    public bool TryGrow(int keep)
    {
        if (_array.Length >= _maxBytes)
        {
            return false;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_array.Length * 2, _maxBytes));
        _array.AsSpan(0, keep).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = larger;
        return true;
    }

    public void ShrinkAfterLargeMessage()
    {
        if (_array.Length > ShrinkAboveBytes && _array.Length > _initialBytes)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = ArrayPool<byte>.Shared.Rent(_initialBytes);
        }
    }

    public void Dispose()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }
}
