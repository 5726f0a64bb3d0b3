namespace KxCollector.Pricing;

/// <summary>
/// The latest quote of each exchange, without a lock and without allocating. Each feed is the only writer of its own
/// slot; the tick reads the three slots once a second. A reader can never block a feed, and a feed can never stall
/// the tick, not even one descheduled halfway through a write (see <see cref="Slot"/>).
/// </summary>
internal sealed class PriceBoard
{
    private readonly Slot[] _slots = CreateSlots();

    /// <summary>Publishes <paramref name="quote"/> as the exchange's latest. Only that exchange's feed may call it.</summary>
    public void Publish(Exchange exchange, in ExchangeQuote quote) => _slots[(int)exchange].Write(quote);

    /// <summary>The exchange's latest quote, or null before its first.</summary>
    public ExchangeQuote? Read(Exchange exchange) => _slots[(int)exchange].Read();

    private static Slot[] CreateSlots()
    {
        var slots = new Slot[ExchangeNames.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = new Slot();
        }

        return slots;
    }

    /// <summary>
    /// Two buffers and a reference to the complete one. The writer fills the buffer that is not published, then
    /// publishes it, so the published buffer is always whole. Each buffer carries a version that is odd while it is
    /// being written: a reader that copied a buffer the writer started to overwrite meanwhile (it published the other
    /// one and came back) sees the version moved and reads again, from the buffer published since. Every retry means
    /// the writer finished a write, so the reader never waits on a writer that stopped halfway.
    /// </summary>
    private sealed class Slot
    {
        private readonly Buffer _first = new();
        private readonly Buffer _second = new();
        private Buffer? _published;

        public void Write(in ExchangeQuote quote)
        {
            var target = ReferenceEquals(_published, _first) ? _second : _first;
            var version = target.Version;
            Volatile.Write(ref target.Version, version + 1);

            // A release write keeps earlier stores before it, not later ones: without a full fence the quote's fields
            // could become visible before the odd version, and a reader would take a half-written copy for whole.
            Interlocked.MemoryBarrier();
            target.Quote = quote;
            Volatile.Write(ref target.Version, version + 2);
            Volatile.Write(ref _published, target);
        }

        public ExchangeQuote? Read()
        {
            var spinner = default(SpinWait);
            while (true)
            {
                var buffer = Volatile.Read(ref _published);
                if (buffer is null)
                {
                    return null;
                }

                var before = Volatile.Read(ref buffer.Version);
                var copy = buffer.Quote;

                // The copy's loads must be done before the version is read again.
                Interlocked.MemoryBarrier();
                if ((before & 1) == 0 && Volatile.Read(ref buffer.Version) == before)
                {
                    return copy;
                }

                // Rewritten while copied: the writer has published the other buffer since.
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }

        private sealed class Buffer
        {
            public int Version;
            public ExchangeQuote Quote;
        }
    }
}
