using System.Globalization;
using KxCollector.Configuration;
using KxCollector.Hosting.Systemd;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace KxCollector.Cli;

/// <summary>
/// Builds the Serilog logger: one line per event, UTC timestamps, short source names (LOG_FORMAT=text), or one CLEF
/// JSON object per event with the exception inside it (LOG_FORMAT=json).
/// </summary>
internal static class LoggingSetup
{
    /// <summary>UTC times (the data is UTC; the logs should read the same): Serilog's own UtcTimestamp, formatted as the data's.</summary>
    public const string OutputTemplate = "{UtcTimestamp:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {Level:u3} {ShortSource}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Under systemd with stdout connected to the journal ($JOURNAL_STREAM set), each line starts with its syslog
    /// priority, "&lt;3&gt;" and so on, which journald strips and keeps as the entry's level, so `journalctl -p warning`
    /// works. (Continuation lines of a stack trace carry no prefix and get the unit's default level.) This is what
    /// AddSystemd's console formatter does for Microsoft's console logger; that logger is not used here (Serilog writes
    /// the console), so the prefix is ours.
    /// </summary>
    public const string JournalOutputTemplate = "<{JournalPriority}>" + OutputTemplate;

    public static Serilog.Core.Logger Create(bool debug, LogFormat format) =>
        Create(debug, SystemdEnvironment.FromEnvironment().JournalStream, output: null, format);

    /// <param name="output">Where lines go; null for the console (stdout). Tests pass a StringWriter.</param>
    /// <param name="format">
    /// Json writes no journal prefix even under journald: a line must stay one JSON object for whatever ships it, and
    /// the level is inside it ("@l").
    /// </param>
    internal static Serilog.Core.Logger Create(bool debug, bool journal, TextWriter? output, LogFormat format = LogFormat.Text)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(debug ? LogEventLevel.Debug : LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System", LogEventLevel.Warning);

        if (format == LogFormat.Json)
        {
            var json = new CompactJsonFormatter();
            return (output is null ? configuration.WriteTo.Console(json) : configuration.WriteTo.Sink(new TextWriterSink(json, output))).CreateLogger();
        }

        configuration = configuration.Enrich.With<LogContextEnricher>();
        var template = OutputTemplate;
        if (journal)
        {
            configuration = configuration.Enrich.With<JournalPriorityEnricher>();
            template = JournalOutputTemplate;
        }

        // The template overload (not a formatter) keeps the console sink's colours on a terminal.
        return (output is null
                ? configuration.WriteTo.Console(outputTemplate: template, formatProvider: CultureInfo.InvariantCulture)
                : configuration.WriteTo.Sink(new TextWriterSink(new MessageTemplateTextFormatter(template, CultureInfo.InvariantCulture), output)))
            .CreateLogger();
    }

    /// <summary>The syslog priority journald understands for a Serilog level (sd-daemon(3)).</summary>
    public static int JournalPriority(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => 2,
        LogEventLevel.Error => 3,
        LogEventLevel.Warning => 4,
        LogEventLevel.Information => 6,
        _ => 7,
    };

    /// <summary>Serilog's core has no TextWriter sink; this is the few lines of one, for tests.</summary>
    private sealed class TextWriterSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
    {
        private readonly Lock _gate = new();

        public void Emit(LogEvent logEvent)
        {
            lock (_gate)
            {
                formatter.Format(logEvent, output);
                output.Flush();
            }
        }
    }

    private sealed class JournalPriorityEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) =>
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("JournalPriority", JournalPriority(logEvent.Level)));
    }

    /// <summary>Adds the class name without its namespace.</summary>
    private sealed class LogContextEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            var source = logEvent.Properties.TryGetValue("SourceContext", out var value) && value is ScalarValue { Value: string full }
                ? full[(full.LastIndexOf('.') + 1)..]
                : "kxcollector";
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("ShortSource", source));
        }
    }
}
