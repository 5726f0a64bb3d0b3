using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KxCollector.Status;

/// <summary>
/// The "official_index" section of status.json as people read it. Its name and its description live here, beside the
/// report that prints them, so the report does not depend on the Kalshi index feed that writes the section.
/// </summary>
internal static class OfficialIndexSection
{
    public const string Name = "official_index";

    /// <summary>The section for people (`kxcollector status`, `botctl status`): state, Kalshi's error, each index's last print.</summary>
    public static string Describe(JsonElement section)
    {
        var c = CultureInfo.InvariantCulture;
        var state = section.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : "-";
        var text = new StringBuilder(state);
        if (section.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
        {
            text.Append(c, $" ({e.GetString()})");
        }

        if (section.TryGetProperty("indexes", out var indexes) && indexes.ValueKind == JsonValueKind.Object)
        {
            foreach (var index in indexes.EnumerateObject())
            {
                var age = index.Value.TryGetProperty("last_print_age_s", out var a) && a.ValueKind == JsonValueKind.Number
                    ? string.Create(c, $"last print {a.GetDouble():0.0} s ago ({index.Value.GetProperty("value").GetRawText()})")
                    : "no print yet";
                text.Append(c, $"; {index.Name} {age}");
            }
        }

        return text.ToString();
    }
}
