using KxCollector.Recording;

namespace KxCollector.Tests.Support;

/// <summary>
/// Opens real files but can make opening and appending fail on demand, standing in for a full disk or a
/// read-only remount, and counts fsyncs.
/// </summary>
internal sealed class FaultInjectingOpener : IAppendFileOpener
{
    private readonly AppendOnlyFileOpener _real = new(new ListLogger<AppendOnlyFile>());

    /// <summary>While set, Open and Append throw IOException("No space left on device").</summary>
    public bool Failing { get; set; }

    public int Opens { get; private set; }

    public int Fsyncs { get; private set; }

    public IAppendFile Open(string path)
    {
        ThrowIfFailing();
        Opens++;
        return new File(this, _real.Open(path));
    }

    private void ThrowIfFailing()
    {
        if (Failing)
        {
            throw new IOException("No space left on device");
        }
    }

    private sealed class File(FaultInjectingOpener owner, IAppendFile inner) : IAppendFile
    {
        public string Path => inner.Path;

        public long Length => inner.Length;

        public void Append(ReadOnlySpan<byte> lines)
        {
            owner.ThrowIfFailing();
            inner.Append(lines);
        }

        public void FlushToDisk()
        {
            owner.ThrowIfFailing();
            owner.Fsyncs++;
            inner.FlushToDisk();
        }

        public void Dispose() => inner.Dispose();
    }
}
