using KxCollector.Configuration;
using KxCollector.Kalshi.Signing;
using KxCollector.Recording;
using KxCollector.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KxCollector.Kalshi.Index;

internal static class OfficialIndexServiceCollectionExtensions
{
    /// <summary>
    /// The board of the indexes the configured series settle on (OFFICIAL_INDEX_MAP), the recorder of their index lines,
    /// the feed the stream's lifecycle connection subscribes with, and the status section. Needs <see cref="SeriesFiles"/>.
    /// </summary>
    public static IServiceCollection AddOfficialIndex(this IServiceCollection services, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var indexIds = options.OfficialIndexes.IndexesOf(options.Series);
        services.AddSingleton(_ => new OfficialIndexBoard(indexIds));
        for (var slot = 0; slot < indexIds.Count; slot++)
        {
            var index = slot;
            services.AddSingleton<IOfficialIndexStatus>(sp => new OfficialIndexPrintAge(sp.GetRequiredService<OfficialIndexBoard>(), index));
        }

        services.AddSingleton(sp => new IndexRecorder(
            sp.GetRequiredService<OfficialIndexBoard>(),
            options.Series
                .Select(s => (Series: s, Index: options.OfficialIndexes.IndexOf(s)))
                .Where(s => s.Index is not null)
                .Select(s => new IndexSeries(s.Series, DayFileName.PrefixOf(s.Series), s.Index!, sp.GetRequiredService<SeriesFiles>().For(s.Series)))
                .ToList(),
            options.OutputDirectory,
            sp.GetRequiredService<TimeProvider>().GetUtcNow(),
            sp.GetRequiredService<RecordHandOff>()));
        services.AddSingleton(sp => new OfficialIndexFeed(
            sp.GetRequiredService<OfficialIndexBoard>(),
            sp.GetRequiredService<IndexRecorder>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<OfficialIndexFeed>()));
        services.AddSingleton<IStatusContributor>(sp => new OfficialIndexStatusContributor(
            indexIds.Count > 0 ? sp.GetRequiredService<OfficialIndexFeed>() : null,
            keyConfigured: sp.GetRequiredService<KalshiCredentials>().Signer is not null));
        return services;
    }
}
