namespace KxCollector.Store.Records;

/// <summary>
/// What one batch learned about a market, folded to one row per ticker (an upsert may touch a row only once per
/// statement). Each value carries the record time it came from; the newest wins, here and in the database.
/// </summary>
internal sealed class MarketMetadataDelta(string ticker)
{
    public string Ticker { get; } = ticker;

    public string? Series { get; private set; }

    public string? Status { get; private set; }

    public DateTime? StatusAt { get; private set; }

    public decimal? Strike { get; private set; }

    public DateTime? StrikeAt { get; private set; }

    public DateTime? CloseTime { get; private set; }

    public string? Result { get; private set; }

    public decimal? ExpirationValue { get; private set; }

    public DateTime? SettledAt { get; private set; }

    public string? EventTicker { get; private set; }

    public DateTime? OpenTime { get; private set; }

    public decimal? CapStrike { get; private set; }

    public string? LastEvent { get; private set; }

    public DateTime? LastEventAt { get; private set; }

    public DateTime? FirstSeen { get; private set; }

    public DateTime? LastSeen { get; private set; }

    /// <summary>Kalshi market tickers start with their series: KXBTC15M-26NOV211215-15 → KXBTC15M.</summary>
    public static string? SeriesOf(string ticker)
    {
        var dash = ticker.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 ? ticker[..dash] : null;
    }

    public void Seen(DateTime at)
    {
        Series ??= SeriesOf(Ticker);
        FirstSeen = FirstSeen is { } first && first <= at ? first : at;
        LastSeen = LastSeen is { } last && last >= at ? last : at;
    }

    public void SetStatus(string? status, DateTime at)
    {
        if (status is not null && (StatusAt is null || at >= StatusAt))
        {
            Status = status;
            StatusAt = at;
        }
    }

    public void SetStrike(decimal? strike, DateTime at)
    {
        if (strike is not null && (StrikeAt is null || at >= StrikeAt))
        {
            Strike = strike;
            StrikeAt = at;
        }
    }

    public void SetResult(string? result, decimal? expirationValue, DateTime? closeTime, DateTime settledAt)
    {
        Series ??= SeriesOf(Ticker);
        Result = result ?? Result;
        ExpirationValue = expirationValue ?? ExpirationValue;
        CloseTime = closeTime ?? CloseTime;
        SettledAt = SettledAt is { } earlier && earlier <= settledAt ? earlier : settledAt;
    }

    public void SetCloseTime(DateTime? closeTime) => CloseTime = closeTime ?? CloseTime;

    /// <summary>What a market record (the backfill's) adds: a null leaves the value as it was.</summary>
    public void SetMarketFields(string? eventTicker, DateTime? openTime, decimal? capStrike)
    {
        EventTicker = eventTicker ?? EventTicker;
        OpenTime = openTime ?? OpenTime;
        CapStrike = capStrike ?? CapStrike;
    }

    public void SetResultOnly(string? result, decimal? expirationValue)
    {
        Result = result ?? Result;
        ExpirationValue = expirationValue ?? ExpirationValue;
    }

    public void SetEvent(string lifecycleEvent, DateTime at)
    {
        Series ??= SeriesOf(Ticker);
        if (LastEventAt is null || at >= LastEventAt)
        {
            LastEvent = lifecycleEvent;
            LastEventAt = at;
        }
    }
}
