using KxCollector.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KxCollector.Status;

/// <summary>
/// Replaces OUTPUT_DIR/status.json once a second. Written to a temporary file and renamed over the old one, so a
/// reader (botctl, healthcheck.sh, a person's `cat`) sees the whole previous or the whole new document, never half.
/// Not fsynced: it describes the present, and losing it to a power cut loses nothing.
/// </summary>
internal sealed partial class StatusFileService : BackgroundService
{
    public const string FileName = "status.json";
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly StatusSnapshotBuilder _builder;
    private readonly IEnumerable<IStatusContributor> _contributors;
    private readonly TimeProvider _time;
    private readonly ILogger<StatusFileService> _logger;
    private readonly string _path;
    private readonly string _temporaryPath;
    private bool _failing;

    public StatusFileService(CollectorOptions options, StatusSnapshotBuilder builder, IEnumerable<IStatusContributor> contributors, TimeProvider time, ILogger<StatusFileService> logger)
    {
        _builder = builder;
        _contributors = contributors;
        _time = time;
        _logger = logger;
        _path = Path.Combine(options.OutputDirectory, FileName);
        _temporaryPath = _path + ".tmp";
    }

    public static string PathIn(string outputDirectory) => Path.Combine(outputDirectory, FileName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            do
            {
                WriteOnce();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Builds and replaces the file; failures are logged (once per outage) and never stop the collector.</summary>
    internal void WriteOnce()
    {
        try
        {
            var bytes = StatusJson.Serialize(_builder.Build(), _contributors);
            File.WriteAllBytes(_temporaryPath, bytes);
            File.Move(_temporaryPath, _path, overwrite: true);
            if (_failing)
            {
                _failing = false;
                LogStatusWriteResumed(_logger, _path);
            }
        }
#pragma warning disable CA1031 // A status report must never take the recorder down, whatever a contributor throws.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!_failing)
            {
                _failing = true;
                LogStatusWriteFailed(_logger, _path, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 520, Level = LogLevel.Warning, Message = "Cannot write the status file {Path}: {Reason}. Recording goes on; retrying every second")]
    private static partial void LogStatusWriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 521, Level = LogLevel.Information, Message = "Writing the status file {Path} again")]
    private static partial void LogStatusWriteResumed(ILogger logger, string path);
}
