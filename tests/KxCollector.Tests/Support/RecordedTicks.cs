using System.Globalization;
using System.Text.Json;

namespace KxCollector.Tests.Support;

/// <summary>The tick lines of the data files in a folder, read while a collector may still be writing them.</summary>
public static class RecordedTicks
{
    /// <summary>Every whole tick line (a line still being written is left out), in file and line order.</summary>
    public static List<JsonElement> Read(string directory)
    {
        var ticks = new List<JsonElement>();
        if (!Directory.Exists(directory))
        {
            return ticks;
        }

        foreach (var file in Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            var whole = text.LastIndexOf('\n');
            foreach (var line in text[..(whole + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.GetProperty("type").ValueEquals("tick"))
                {
                    ticks.Add(document.RootElement.Clone());
                }
            }
        }

        return ticks;
    }

    public static DateTimeOffset Ts(this JsonElement tick) =>
        DateTimeOffset.Parse(tick.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture);

    /// <summary>A numeric field of the tick (brti, coinbase, kraken, bitstamp); null when it was written as null.</summary>
    public static decimal? Price(this JsonElement tick, string name) =>
        tick.GetProperty(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDecimal() : null;
}
