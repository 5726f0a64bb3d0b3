using KxCollector.Status;

namespace KxCollector.Kalshi.Index;

/// <summary>One index of the board as monitoring sees it (<c>kxcollector_official_index_age_seconds{index=…}</c>).</summary>
internal sealed class OfficialIndexPrintAge(OfficialIndexBoard board, int slot) : IOfficialIndexStatus
{
    public string IndexId => board.IndexIds[slot];

    public DateTimeOffset? LastPrintAt => board.Latest(slot) is { } print ? DateTimeOffset.FromUnixTimeMilliseconds(print.TimeMs) : null;
}
