namespace KxCollector.Configuration;

/// <summary>LOG_FORMAT: how each log event is written to the console.</summary>
internal enum LogFormat
{
    /// <summary>One readable line per event (a stack trace continues on the lines after it).</summary>
    Text,

    /// <summary>One JSON object per event and line (CLEF), the exception inside it: for log shippers.</summary>
    Json,
}
