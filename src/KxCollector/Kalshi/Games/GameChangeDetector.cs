using System.Text.Json;

namespace KxCollector.Kalshi.Games;

/// <summary>
/// Whether a game's live data changed since the last line written for it: <c>details</c> compared as JSON values
/// (so another key order, other whitespace or 7.0 for 7 is not a change; a new score, clock or key is). The first read of a game
/// is always a change. Single-threaded: the game poll owns it.
/// </summary>
internal sealed class GameChangeDetector
{
    private readonly Dictionary<string, (string? Type, JsonElement Details)> _last = new(StringComparer.Ordinal);

    /// <summary>True (and remembered) when this differs from what was last seen for the milestone.</summary>
    public bool Changed(string milestoneId, string? type, string detailsJson)
    {
        using var document = JsonDocument.Parse(detailsJson);
        var details = document.RootElement;
        if (_last.TryGetValue(milestoneId, out var last) && last.Type == type && JsonElement.DeepEquals(last.Details, details))
        {
            return false;
        }

        _last[milestoneId] = (type, details.Clone());
        return true;
    }

    public void Forget(string milestoneId) => _last.Remove(milestoneId);
}
