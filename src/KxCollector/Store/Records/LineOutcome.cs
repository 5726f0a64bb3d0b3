namespace KxCollector.Store.Records;

internal enum LineOutcome
{
    /// <summary>A known record: its rows are in the batch.</summary>
    Stored,

    /// <summary>Valid JSON with a "type" this version does not store (a newer record kind): skipped and counted.</summary>
    UnknownType,

    /// <summary>A known type missing a field it cannot do without (ts, ticker, trade_id…): skipped and counted.</summary>
    Rejected,

    /// <summary>Not one JSON object: skipped and counted.</summary>
    Unparseable,

    /// <summary>An empty line: nothing to store.</summary>
    Blank,
}
