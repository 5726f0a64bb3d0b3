namespace KxCollector.Fakes.Kalshi;

/// <summary>A public trade as Kalshi lists it: dollar-string prices, a fixed-point count.</summary>
public sealed record FakeTrade
{
    public required string TradeId { get; init; }

    public required DateTimeOffset CreatedTime { get; init; }

    public string YesPrice { get; init; } = "0.5600";

    public string NoPrice { get; init; } = "0.4400";

    public string Count { get; init; } = "10.00";

    /// <summary>taker_outcome_side, and the deprecated taker_side unless <see cref="WithDeprecatedTakerSide"/> is false.</summary>
    public string TakerSide { get; init; } = "yes";

    public string TakerBookSide { get; init; } = "ask";

    public bool IsBlockTrade { get; init; }

    public bool WithDeprecatedTakerSide { get; init; } = true;
}
