using System.Text.Json.Serialization;
using KxCollector.Recording;

namespace KxCollector.Kalshi;

/// <summary>The Kalshi state file as it is on disk (<see cref="KalshiStateFile"/>): keys and order unchanged since version 1.</summary>
internal sealed record KalshiStateDocument(
    int Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? Watermark = null,
    IReadOnlyList<KalshiStateMarket>? Tracked = null,
    IReadOnlyList<KalshiStateMarket>? Written = null,
    IReadOnlyList<KalshiStateInFlight>? InFlight = null);

/// <summary>A market and its close_time, written as null when Kalshi gave none (and read as null when missing).</summary>
internal sealed record KalshiStateMarket(string Ticker, DateTimeOffset? CloseTime = null);

/// <summary>A settlement line being written, with the time it was stamped.</summary>
internal sealed record KalshiStateInFlight(string Ticker, DateTimeOffset Ts);

/// <summary>Built over <see cref="StateFileJson.CreateOptions"/>: <see cref="Instance"/>.</summary>
[JsonSerializable(typeof(KalshiStateDocument))]
internal sealed partial class KalshiStateJsonContext : JsonSerializerContext
{
    public static KalshiStateJsonContext Instance { get; } = new(StateFileJson.CreateOptions());
}
