namespace KxCollector.Backfill;

/// <summary>The downtime found at start-up, or none; a holder so "none" can live in the service container.</summary>
internal sealed record DowntimeProbe(Downtime? Downtime);
