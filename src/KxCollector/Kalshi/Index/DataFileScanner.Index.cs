using KxCollector.Records;
using System.Text.Json;
using KxCollector.Archive;
using KxCollector.Recording;
using KxCollector.Pricing;

namespace KxCollector.Kalshi.Settlements;

/// <summary>
/// The official prints in our own files: the <c>index</c> lines of a settlement window (after a restart the window
/// may predate this process) and the last print written (so a print Kalshi repeats after a restart is not written twice).
/// </summary>
internal static partial class DataFileScanner
{
    /// <summary>How much of a file's end is read for its last index line: well over a minute of ticks with books.</summary>
    private const long TailBytes = 4L * 1024 * 1024;

    private static readonly byte[] IndexPrefix = IndexRecord.LinePrefix;

    /// <summary>The index prints stamped inside the window, as the settlement recovery sums the proxy's ticks.</summary>
    public static BrtiSum SumIndex(string directory, string prefix, string indexId, BrtiWindow window)
    {
        var sum = default(BrtiSum);
        var seen = new HashSet<long>();
        for (var date = DateOfSecond(window.FromSecond); date <= DateOfSecond(window.ToSecond); date = date.AddDays(1))
        {
            // A finished day may have been compressed meanwhile: the window is then read from its .gz, from its start.
            if (DayFiles.Locate(Path.Combine(directory, DayFileName.Of(prefix, date))) is not { } path)
            {
                continue;
            }

            using var stream = DayFiles.OpenRead(path);
            foreach (var (_, line) in JsonlLines.Read(stream, stream is FileStream file ? FindStart(file, window.FromSecond) : 0))
            {
                if (!TryReadTick(line.Span, out var second, out _, out _))
                {
                    continue;
                }

                // Index lines are written a moment after their second, so a few later lines can hold window prints.
                if (second > window.ToSecond + 60)
                {
                    break;
                }

                if (window.Contains(second) && TryReadIndex(line.Span, indexId, out var printSecond, out var value) && seen.Add(printSecond))
                {
                    sum = sum.Add(value);
                }
            }
        }

        return sum;
    }

    /// <summary>The stamp (Unix ms) of the last <c>index</c> line of this index in the file's tail, or null.</summary>
    public static long? LastIndexPrintMs(string path, string indexId)
    {
        // The day being written (never compressed yet): its tail is read by seeking.
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = DayFiles.OpenRead(path);
        long? last = null;
        foreach (var (_, line) in JsonlLines.Read(stream, Math.Max(0, stream.Length - TailBytes), skipPartial: stream.Length > TailBytes))
        {
            if (TryReadIndex(line.Span, indexId, out var second, out _))
            {
                last = Math.Max(last ?? long.MinValue, second * 1000);
            }
        }

        return last;
    }

    /// <summary>An <c>index</c> line of <paramref name="indexId"/>: its print second and value.</summary>
    private static bool TryReadIndex(ReadOnlySpan<byte> line, string indexId, out long second, out decimal value)
    {
        second = 0;
        value = 0;
        if (!line.StartsWith(IndexPrefix))
        {
            return false;
        }

        string? id = null;
        decimal? found = null;
        var haveTs = false;
        try
        {
            var reader = new Utf8JsonReader(line);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case RecordJson.Ts when reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var ts):
                        second = TickSchedule.SecondOf(ts);
                        haveTs = true;
                        break;
                    case IndexRecord.IndexIdKey when reader.TokenType == JsonTokenType.String:
                        id = reader.GetString();
                        break;
                    case IndexRecord.ValueKey when reader.TokenType == JsonTokenType.Number:
                        found = reader.GetDecimal();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return false;
        }

        if (!haveTs || found is null || id != indexId)
        {
            return false;
        }

        value = found.Value;
        return true;
    }
}
