using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace KxCollector.Kalshi.Stream;

/// <summary>
/// One string per market ticker for the frames of one connection: a busy market sends the same ticker many times a
/// second, and each frame used to decode it into a new string that lived only until its line was written. Looked up
/// by the decoded characters (a stack buffer), so a ticker seen before costs no allocation. One connection's frames
/// are parsed one at a time on its receive loop; the lock, uncontended there, only keeps any other caller safe. Bounded: past <see cref="Capacity"/> names
/// (markets come and go all day) it starts again empty rather than growing.
/// </summary>
internal sealed class TickerNames
{
    public const int Capacity = 8192;

    // Kalshi's tickers are ASCII and well under this; a longer or escaped value is decoded the ordinary way.
    private const int MaxChars = 128;

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _byChars;

    public TickerNames() => _byChars = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count
    {
        get
        {
            lock (_names)
            {
                return _names.Count;
            }
        }
    }

    /// <summary>The reader's string value (the reader on a String token), as the one instance kept for its text.</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        var utf8 = reader.ValueSpan;
        if (reader.ValueIsEscaped || reader.HasValueSequence || utf8.Length > MaxChars)
        {
            return reader.GetString()!;
        }

        Span<char> chars = stackalloc char[MaxChars];
        if (Utf8.ToUtf16(utf8, chars, out _, out var length, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            // Not valid UTF-8: GetString says so the way every other string read does.
            return reader.GetString()!;
        }

        var text = chars[..length];
        lock (_names)
        {
            if (_byChars.TryGetValue(text, out var name))
            {
                return name;
            }

            if (_names.Count >= Capacity)
            {
                _names.Clear();
            }

            name = new string(text);
            _names.Add(name);
            return name;
        }
    }
}
