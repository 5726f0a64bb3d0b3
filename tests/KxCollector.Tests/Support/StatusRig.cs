using KxCollector.Configuration;
using KxCollector.Feeds;
using KxCollector.Pricing;
using KxCollector.Recording;
using KxCollector.Status;
using Microsoft.Extensions.Logging.Abstractions;

namespace KxCollector.Tests.Support;

/// <summary>The real status pieces over a temp output folder and a manual clock: ticks are written as the tick loop would.</summary>
internal sealed class StatusRig : IDisposable
{
    private readonly TickFormatter _formatter = new();

    public StatusRig(DateTimeOffset start, params (string Key, string Value)[] settings)
    {
        var values = settings.ToDictionary(s => s.Key, s => s.Value);
        values[SettingKeys.OutputDir] = Dir.Path;
        Options = CollectorOptionsLoader.Load(values, Dir.Path);
        Time = new SteppableTimeProvider(start);
        Proxy = new BrtiProxy(Board, Options.FeedStaleAfter);
        Writer = new DailyJsonlWriter(Dir.Path, DayFileName.PrefixOf(Options.SeriesTicker), Time, new AppendOnlyFileOpener(NullLogger<AppendOnlyFile>.Instance), NullLogger.Instance);
        Builder = new StatusSnapshotBuilder(Options, Ticks, Feeds, Proxy, new PrimaryFile(Options.SeriesTicker, Writer), Time);
    }

    public TempDirectory Dir { get; } = new();

    public CollectorOptions Options { get; }

    public SteppableTimeProvider Time { get; }

    public TickStats Ticks { get; } = new();

    public FeedHealthRegistry Feeds { get; } = new();

    public PriceBoard Board { get; } = new();

    public BrtiProxy Proxy { get; }

    public DailyJsonlWriter Writer { get; }

    public StatusSnapshotBuilder Builder { get; }

    /// <summary>Writes the tick of the current instant to the day's file and records it, as TickService does.</summary>
    public void Tick()
    {
        var now = Time.GetUtcNow();
        var line = _formatter.Format(now, Proxy.Sample(now), new NoMarkets());
        Ticks.RecordTick(now, Writer.Append(now, line));
    }

    public void PublishQuote(Exchange exchange, decimal bid, decimal ask)
    {
        ExchangeQuote.TryCreate(bid, ask, null, Time.GetUtcNow(), out var quote).Should().BeTrue();
        Board.Publish(exchange, quote);
    }

    public void Dispose()
    {
        Writer.Dispose();
        Dir.Dispose();
    }
}
