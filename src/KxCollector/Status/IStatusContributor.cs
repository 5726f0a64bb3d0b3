using System.Text.Json;

namespace KxCollector.Status;

/// <summary>
/// A service's own section of status.json and /health, e.g. the Kalshi market tracker's "kalshi" object.
/// Register an implementation as a singleton <c>IStatusContributor</c>; the status writer asks it once a second.
/// </summary>
internal interface IStatusContributor
{
    /// <summary>The section's key in status.json (lower-case, e.g. <see cref="KalshiStatusKeys.Section"/>).</summary>
    string Section { get; }

    /// <summary>
    /// Writes the section's properties; the writer is positioned inside the section's object. Called from the status
    /// timer thread: read memory only (Volatile/Interlocked fields), never wait on the network or a lock the poller holds.
    /// </summary>
    void WriteStatus(Utf8JsonWriter writer, DateTimeOffset now);
}
