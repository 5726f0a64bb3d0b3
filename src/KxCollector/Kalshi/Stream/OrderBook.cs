using System.Text.Json;
using KxCollector.Pricing;
using KxCollector.Records;

namespace KxCollector.Kalshi.Stream;

/// <summary>
/// One market's order book from the stream: YES bids and NO bids (Kalshi books hold bids only; a YES ask is
/// 1 − the best NO bid), price in dollars to size in contracts, exact decimals. Built from a snapshot, then kept by
/// deltas; <see cref="IsValid"/> is false until the first snapshot and again whenever the stream may have lost a
/// delta, and an invalid book is never written as levels. Written by the receive loop, read by the tick: locked.
/// </summary>
internal sealed class OrderBook
{
    private readonly Lock _gate = new();
    // Best (highest) bid first, so the top N levels are the first N: the tick reads them every second for every market,
    // and reversing an ascending dictionary copied the whole book each time.
    private static readonly IComparer<decimal> BestFirst = Comparer<decimal>.Create(static (a, b) => b.CompareTo(a));

    private readonly SortedDictionary<decimal, decimal> _yes = new(BestFirst);
    private readonly SortedDictionary<decimal, decimal> _no = new(BestFirst);
    private bool _valid;

    // The top levels as the last tick wrote them, for _renderedDepth levels; null after any change. Most books of a
    // large universe do not change between two ticks, and every tick writes every book: re-rendering each one (a
    // tree walk, two decimal multiplications and four formatted decimals per level) was most of a 1,000-market tick.
    private byte[]? _renderedYes;
    private byte[]? _renderedNo;
    private int _renderedDepth;

    public bool IsValid
    {
        get
        {
            lock (_gate)
            {
                return _valid;
            }
        }
    }

    /// <summary>Replaces the whole book; a side that is null or empty has no bids.</summary>
    public void ApplySnapshot(IReadOnlyList<BookLevel>? yes, IReadOnlyList<BookLevel>? no)
    {
        lock (_gate)
        {
            Fill(_yes, yes);
            Fill(_no, no);
            _valid = true;
            ForgetRendered();
        }
    }

    /// <summary>
    /// Adds <paramref name="delta"/> contracts at a price. Returns false, and leaves the book invalid, when the delta
    /// cannot be right: the book is not valid, or the size would go below zero (a delta was missed).
    /// </summary>
    public bool ApplyDelta(string side, decimal price, decimal delta)
    {
        lock (_gate)
        {
            if (!_valid)
            {
                return false;
            }

            var levels = side == "yes" ? _yes : _no;
            ForgetRendered();
            var size = (levels.TryGetValue(price, out var old) ? old : 0m) + delta;
            if (size < 0)
            {
                InvalidateLocked();
                return false;
            }

            if (size == 0)
            {
                levels.Remove(price);
            }
            else
            {
                levels[price] = size;
            }

            return true;
        }
    }

    /// <summary>Forgets the levels: nothing is known until the next snapshot.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            InvalidateLocked();
        }
    }

    /// <summary>The best <paramref name="depth"/> bids of a side, best (highest) first; empty when invalid.</summary>
    public IReadOnlyList<BookLevel> TopBids(string side, int depth)
    {
        lock (_gate)
        {
            if (!_valid)
            {
                return [];
            }

            return (side == "yes" ? _yes : _no).Take(depth).Select(p => new BookLevel(p.Key, p.Value)).ToList();
        }
    }

    /// <summary>
    /// Writes <c>"yes_book":[[price_cents,size],…],"no_book":[…]</c> (best first), or both null while the book is
    /// invalid: a book we cannot vouch for is never written as if it were right.
    /// </summary>
    public void WriteTop(Utf8JsonWriter writer, int depth, JsonEncodedText yesName, JsonEncodedText noName)
    {
        ArgumentNullException.ThrowIfNull(writer);
        lock (_gate)
        {
            if (!_valid)
            {
                writer.WriteNull(yesName);
                writer.WriteNull(noName);
                return;
            }

            if (_renderedYes is null || _renderedNo is null || _renderedDepth != depth)
            {
                _renderedYes = Render(_yes, depth);
                _renderedNo = Render(_no, depth);
                _renderedDepth = depth;
            }

            // The bytes are what WriteSide produced for this very book: valid JSON, so no second parse.
            writer.WritePropertyName(yesName);
            writer.WriteRawValue(_renderedYes, skipInputValidation: true);
            writer.WritePropertyName(noName);
            writer.WriteRawValue(_renderedNo, skipInputValidation: true);
        }
    }

    // RecordJson's writer is the thread's own: the books of several series may be rendered at once.
    private static byte[] Render(SortedDictionary<decimal, decimal> levels, int depth) =>
        RecordJson.Render((levels, depth), static (Utf8JsonWriter w, in (SortedDictionary<decimal, decimal> Levels, int Depth) side) =>
            WriteSide(w, side.Levels, side.Depth));

    private static void WriteSide(Utf8JsonWriter writer, SortedDictionary<decimal, decimal> levels, int depth)
    {
        writer.WriteStartArray();
        var written = 0;
        foreach (var (price, size) in levels)
        {
            if (written++ == depth)
            {
                break;
            }

            writer.WriteStartArray();
            RecordJson.WriteNumberValue(writer, DecimalMath.Normalize(price * 100m));
            RecordJson.WriteNumberValue(writer, DecimalMath.Normalize(size));
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private static void Fill(SortedDictionary<decimal, decimal> levels, IReadOnlyList<BookLevel>? from)
    {
        levels.Clear();
        if (from is null)
        {
            return;
        }

        foreach (var level in from)
        {
            if (level.Size > 0)
            {
                levels[level.Price] = level.Size;
            }
        }
    }

    private void ForgetRendered()
    {
        _renderedYes = null;
        _renderedNo = null;
    }

    private void InvalidateLocked()
    {
        ForgetRendered();
        _yes.Clear();
        _no.Clear();
        _valid = false;
    }
}
