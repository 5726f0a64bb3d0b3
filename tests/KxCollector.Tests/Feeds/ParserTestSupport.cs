using KxCollector.Feeds;

namespace KxCollector.Tests.Feeds;

internal static class ParserTestSupport
{
    public delegate ParsedFrame ParserDelegate(ReadOnlySpan<byte> message);

    /// <summary>Managed bytes the current thread allocates per parse of <paramref name="message"/>, after a warm-up.</summary>
    public static long AllocatedBytesPerParse(ParserDelegate parser, byte[] message)
    {
        for (var i = 0; i < 100; i++)
        {
            parser(message);
        }

        const int Rounds = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            parser(message);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Rounds;
    }
}
