namespace KxCollector.Records;

/// <summary>
/// The values of a record's <c>"src"</c> key. A record written by the live collector has no <c>src</c> (the stream and
/// the poll are told apart inside a tick's market entries, not here); one fetched from Kalshi's history afterwards ends
/// with <c>"src":"backfill"</c>, so a reader can always tell what was seen live from what was filled in.
/// </summary>
internal static class RecordSource
{
    public const string Backfill = "backfill";
}
