using System.Buffers;
using System.Text.Json;
using KxCollector.Pricing;

namespace KxCollector.Records;

/// <summary>
/// What every record writer shares: the keys every record has, one way to write a nullable value, cents, and the
/// one framing of a line (<c>{</c>, the record's keys, <c>}</c>, no newline) into a buffer of its own.
/// </summary>
internal static class RecordJson
{
    public const string Type = "type";
    public const string Ts = "ts";
    public const string Src = "src";
    public const string Ticker = "ticker";

    public static readonly JsonEncodedText TypeName = JsonEncodedText.Encode(Type);
    public static readonly JsonEncodedText TsName = JsonEncodedText.Encode(Ts);
    public static readonly JsonEncodedText TickerName = JsonEncodedText.Encode(Ticker);
    public static readonly JsonEncodedText SrcName = JsonEncodedText.Encode(Src);

    /// <summary>Dollars to cents, exact: "0.0560" is 5.6, never 5.6000000001 and never rounded to whole cents.</summary>
    public static decimal? Cents(decimal? dollars) => dollars is { } d ? DecimalMath.Normalize(d * 100m) : null;

    /// <summary>Trailing zeros off ("1234.00" is 1234): counts and prices read as text keep their scale otherwise.</summary>
    public static decimal? Normalize(decimal? value) => value is { } v ? DecimalMath.Normalize(v) : null;

    /// <summary>
    /// Formats one line: the record's writer fills the object. The state is passed through, so no closure. The buffer
    /// and the JSON writer are the calling thread's, reused from line to line, so a line allocates only its own array:
    /// a fresh pair per line cost ~4.6 KB for any line over 256 bytes (Utf8JsonWriter grows its output 4 KB at a time),
    /// 80 % of what the stream allocated per trade (docs/BENCHMARKS.md).
    /// </summary>
    public static byte[] Format<TState>(in TState state, WriteBody<TState> body) => Render(state, body, asObject: true);

    /// <summary>As <see cref="Format"/> for a value that is not a record's object (a book side's levels): what the body writes, as it is.</summary>
    public static byte[] Render<TState>(in TState state, WriteBody<TState> body) => Render(state, body, asObject: false);

    private static byte[] Render<TState>(in TState state, WriteBody<TState> body, bool asObject)
    {
        var line = LineWriter.Rent();
        try
        {
            if (asObject)
            {
                line.Writer.WriteStartObject();
            }

            body(line.Writer, state);
            if (asObject)
            {
                line.Writer.WriteEndObject();
            }

            line.Writer.Flush();
            return line.Buffer.WrittenSpan.ToArray();
        }
        finally
        {
            LineWriter.Return(line);
        }
    }

    public delegate void WriteBody<TState>(Utf8JsonWriter writer, in TState state);

    /// <summary>
    /// Opens every record's keys: <c>"type"</c>, then <c>"ts"</c>. Pre-encoded names, so no record transcodes them per line.
    /// </summary>
    public static void WriteStart(Utf8JsonWriter writer, string type, DateTimeOffset ts)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(TypeName, type);
        writer.WritePropertyName(TsName);
        JsonTimestamps.WriteValue(writer, ts);
    }

    /// <summary>As <see cref="WriteStart(Utf8JsonWriter, string, DateTimeOffset)"/>, then the market's <c>"ticker"</c> third.</summary>
    public static void WriteStart(Utf8JsonWriter writer, string type, DateTimeOffset ts, string ticker)
    {
        WriteStart(writer, type, ts);
        writer.WriteString(TickerName, ticker);
    }

    // A nullable key is its name, then its value or null: one shape, so the overloads differ only in how a value is written.
    // The value writers are static lambdas (cached by the compiler): nothing is allocated per key.
    public static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, decimal? value) =>
        ValueOrNull(Named(writer, name), value, WriteNumberValue);

    public static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, long? value) =>
        ValueOrNull(Named(writer, name), value, static (w, v) => w.WriteNumberValue(v));

    public static void WriteNumber(Utf8JsonWriter writer, string name, decimal? value) =>
        ValueOrNull(Named(writer, name), value, WriteNumberValue);

    /// <summary>
    /// A decimal as Utf8JsonWriter writes it, with the common case made cheap: a positive whole number of scale 0
    /// (cents, counts) has exactly the digits of the same long, and a long is formatted several times faster. A tick
    /// of 1,000 markets writes about 30,000 such numbers a second. Any other value (a fraction, a scale kept, zero,
    /// a negative) goes the decimal way.
    /// </summary>
    public static void WriteNumberValue(Utf8JsonWriter writer, decimal value)
    {
        if (value.Scale == 0 && value > 0m && value <= long.MaxValue)
        {
            writer.WriteNumberValue((long)value);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }

    public static void WriteNumber(Utf8JsonWriter writer, string name, long? value) =>
        ValueOrNull(Named(writer, name), value, static (w, v) => w.WriteNumberValue(v));

    public static void WriteBoolean(Utf8JsonWriter writer, string name, bool? value) =>
        ValueOrNull(Named(writer, name), value, static (w, v) => w.WriteBooleanValue(v));

    public static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value) =>
        ValueOrNull(Named(writer, name), value, JsonTimestamps.WriteValue);

    public static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    /// <summary>Writes the key only when there is a value: keys a record leaves out rather than writing null.</summary>
    public static void WriteTimeIfAny(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            JsonTimestamps.Write(writer, name, v);
        }
    }

    /// <summary>Writes <c>"src":…</c> when the record has one (a backfilled record); it is always the last key.</summary>
    public static void WriteSrc(Utf8JsonWriter writer, string? src)
    {
        if (src is not null)
        {
            writer.WriteString(SrcName, src);
        }
    }

    private static Utf8JsonWriter Named(Utf8JsonWriter writer, string name)
    {
        writer.WritePropertyName(name);
        return writer;
    }

    private static Utf8JsonWriter Named(Utf8JsonWriter writer, JsonEncodedText name)
    {
        writer.WritePropertyName(name);
        return writer;
    }

    private static void ValueOrNull<T>(Utf8JsonWriter writer, T? value, Action<Utf8JsonWriter, T> writeValue)
        where T : struct
    {
        if (value is { } v)
        {
            writeValue(writer, v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>One thread's buffer and JSON writer for <see cref="Format"/> and <see cref="Render{TState}(in TState, WriteBody{TState})"/>.</summary>
    private sealed class LineWriter
    {
        // Room for every ordinary line (a trade is ~330 bytes) without growing.
        private const int InitialCapacity = 1024;

        // A buffer grown past this by an unusually long line (a game's details) is let go, not kept by the thread.
        private const int MaxKeptCapacity = 16 * 1024;

        [ThreadStatic]
        private static LineWriter? _cached;

        private LineWriter() => Writer = new Utf8JsonWriter(Buffer);

        public ArrayBufferWriter<byte> Buffer { get; } = new(InitialCapacity);

        public Utf8JsonWriter Writer { get; }

        /// <summary>
        /// The thread's writer, taken out while in use: a line formatted while another is being written (inside its body)
        /// gets a writer of its own instead of writing into the other's.
        /// </summary>
        public static LineWriter Rent()
        {
            var cached = _cached;
            _cached = null;
            return cached ?? new LineWriter();
        }

        /// <summary>Empties the writer and keeps it for the thread's next line; a body that threw leaves nothing behind.</summary>
        public static void Return(LineWriter line)
        {
            if (line.Buffer.Capacity > MaxKeptCapacity)
            {
                return;
            }

            line.Buffer.ResetWrittenCount();
            line.Writer.Reset(line.Buffer);
            _cached = line;
        }
    }
}
