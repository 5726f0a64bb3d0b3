using System.Text.Json;

namespace KxCollector.Recording;

/// <summary>
/// Writes the elements of a tick's "markets" array (the writer is positioned inside the array). Implemented by the
/// Kalshi market state; it must only read memory — a tick never waits on the network.
/// </summary>
internal interface ITickMarketsWriter
{
    void WriteMarkets(Utf8JsonWriter writer, DateTimeOffset now);
}

/// <summary>Used until Kalshi market tracking is configured: the array is present and empty.</summary>
internal sealed class NoMarkets : ITickMarketsWriter
{
    public void WriteMarkets(Utf8JsonWriter writer, DateTimeOffset now)
    {
    }
}
