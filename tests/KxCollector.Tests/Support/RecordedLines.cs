using System.Collections.Concurrent;
using System.Text.Json;
using Serilog.Core;
using Serilog.Events;

namespace KxCollector.Tests.Support;

/// <summary>The records of one type in a series' data files, read while a collector may still be writing them.</summary>
public static class RecordedLines
{
    /// <summary>Every whole line of <paramref name="type"/> in <c>&lt;prefix&gt;-*.jsonl</c>, in file and line order.</summary>
    public static List<JsonElement> Read(string directory, string prefix, string type)
    {
        var records = new List<JsonElement>();
        foreach (var file in Directory.GetFiles(directory, prefix + "-*.jsonl").Order(StringComparer.Ordinal))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            foreach (var line in text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.GetProperty("type").ValueEquals(type))
                {
                    records.Add(document.RootElement.Clone());
                }
            }
        }

        return records;
    }
}

/// <summary>A Serilog sink keeping each rendered message, for tests that count warnings.</summary>
public sealed class CapturingLogSink : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        _lines.Enqueue(logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
