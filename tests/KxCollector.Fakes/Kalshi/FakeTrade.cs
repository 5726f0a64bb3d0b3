namespace KxCollector.Fakes.Kalshi;

/// <summary>A public trade as Kalshi lists it: dollar-string prices, a fixed-point count.</summary>
public sealed record FakeTrade
{
    public required string TradeId { get; init; }

    public required DateTimeOffset CreatedTime { get; init; }

    public string YesPrice { get; init; } = "0.5600";

    public string NoPrice { get; init; } = "0.4400";

    public string Count { get; init; } = "10.00";

    public string TakerSide { get; init; } = "yes";
}
