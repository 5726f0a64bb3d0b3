using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace KxCollector.Hosting;

/// <summary>Builds the Serilog logger: one line per event, UTC timestamps, short source names.</summary>
internal static class LoggingSetup
{
    public const string OutputTemplate = "{UtcTimestamp} {Level:u3} {ShortSource}: {Message:lj}{NewLine}{Exception}";

    public static Serilog.Core.Logger Create(bool debug)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(debug ? LogEventLevel.Debug : LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System", LogEventLevel.Warning)
            .Enrich.With<LogContextEnricher>();

        return configuration
            .WriteTo.Console(outputTemplate: OutputTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
    }

    /// <summary>Adds a UTC timestamp (the data is UTC; the logs should read the same) and the class name without its namespace.</summary>
    private sealed class LogContextEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(
                "UtcTimestamp",
                logEvent.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)));

            var source = logEvent.Properties.TryGetValue("SourceContext", out var value) && value is ScalarValue { Value: string full }
                ? full[(full.LastIndexOf('.') + 1)..]
                : "kxcollector";
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("ShortSource", source));
        }
    }
}
