using KxCollector.Records;
using System.Text;
using System.Text.Json;
using KxCollector.Archive;
using KxCollector.Recording;
using KxCollector.Pricing;

namespace KxCollector.Kalshi.Settlements;

/// <summary>
/// Reads our own daily JSONL files back: the brti of past ticks (after a restart the window may predate this process)
/// and whether a settlement line was already written (after a crash between writing it and noting it). Files are
/// large (~170 MB a day), so the tick search bisects on the file offset: lines are appended in time order.
/// </summary>
internal static partial class DataFileScanner
{
    /// <summary>Below this span the search reads lines in order instead of bisecting further.</summary>
    private const long LinearSpan = 256 * 1024;

    private static readonly byte[] SettlementPrefix = SettlementRecord.LinePrefix;

    public static BrtiSum SumBrti(string directory, string prefix, BrtiWindow window)
    {
        var sum = default(BrtiSum);
        var firstDate = DateOfSecond(window.FromSecond);
        var lastDate = DateOfSecond(window.ToSecond);
        for (var date = firstDate; date <= lastDate; date = date.AddDays(1))
        {
            // A finished day may have been compressed meanwhile: the window is then read from its .gz, in order.
            if (DayFiles.Locate(Path.Combine(directory, DayFileName.Of(prefix, date))) is { } path)
            {
                sum = SumBrtiInFile(path, window, sum);
            }
        }

        return sum;
    }

    /// <summary>True when the file holds a settlement line for this ticker.</summary>
    public static bool ContainsSettlement(string path, string ticker)
    {
        if (DayFiles.Locate(path) is not { } existing)
        {
            return false;
        }

        var needle = Encoding.UTF8.GetBytes($"\"ticker\":\"{JsonEncodedText.Encode(ticker)}\",");
        using var stream = DayFiles.OpenRead(existing);
        foreach (var (_, line) in JsonlLines.Read(stream, 0))
        {
            if (line.Span.StartsWith(SettlementPrefix) && line.Span.IndexOf(needle) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static BrtiSum SumBrtiInFile(string path, BrtiWindow window, BrtiSum sum)
    {
        using var stream = DayFiles.OpenRead(path);

        // Bisecting needs seeking: a compressed day is read from its start.
        var start = stream is FileStream file ? FindStart(file, window.FromSecond) : 0;
        foreach (var (_, line) in JsonlLines.Read(stream, start))
        {
            if (!TryReadTick(line.Span, out var second, out var brti, out var isTick))
            {
                continue;
            }

            if (second > window.ToSecond)
            {
                break;
            }

            if (isTick && window.Contains(second) && brti is { } value)
            {
                sum = sum.Add(value);
            }
        }

        return sum;
    }

    /// <summary>The offset of a line at or before the first line stamped <paramref name="fromSecond"/> or later.</summary>
    private static long FindStart(FileStream stream, long fromSecond)
    {
        long low = 0, high = stream.Length;
        while (high - low > LinearSpan)
        {
            var middle = low + ((high - low) / 2);
            long? lineStart = null;
            long? second = null;
            foreach (var (offset, line) in JsonlLines.Read(stream, middle, skipPartial: true))
            {
                if (TryReadTick(line.Span, out var s, out _, out _))
                {
                    lineStart = offset;
                    second = s;
                    break;
                }

                if (offset > high)
                {
                    break;
                }
            }

            if (second is null || second >= fromSecond)
            {
                high = middle;
            }
            else
            {
                low = lineStart!.Value;
            }
        }

        return low;
    }

    // The tick record's own key and type names, as UTF-8 for the reader: this scanner has none of its own.
    private static readonly byte[] TypeKey = Encoding.UTF8.GetBytes(RecordJson.Type);
    private static readonly byte[] TickType = Encoding.UTF8.GetBytes(TickRecord.Type);
    private static readonly byte[] TsKey = Encoding.UTF8.GetBytes(RecordJson.Ts);
    private static readonly byte[] BrtiKey = Encoding.UTF8.GetBytes(TickRecord.BrtiKey);

    /// <summary>Reads the top-level "type", "ts" and "brti" of a record line, stopping before the markets array.</summary>
    private static bool TryReadTick(ReadOnlySpan<byte> line, out long second, out decimal? brti, out bool isTick)
    {
        second = 0;
        brti = null;
        isTick = false;
        var haveTs = false;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(TypeKey))
                {
                    reader.Read();
                    isTick = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(TickType);
                }
                else if (reader.ValueTextEquals(TsKey))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var ts))
                    {
                        second = TickSchedule.SecondOf(ts);
                        haveTs = true;
                    }
                }
                else if (reader.ValueTextEquals(BrtiKey))
                {
                    reader.Read();
                    brti = reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value) ? value : null;
                    break;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return haveTs;
    }

    private static DateOnly DateOfSecond(long second) => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(second).UtcDateTime);
}
