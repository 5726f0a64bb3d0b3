using Microsoft.Extensions.Logging;

namespace KxCollector.Store.Logging;

/// <summary>
/// An ILogger provider that copies warnings and errors into the store's outbox for data_collection_logs. It only
/// queues: a log call never waits on the database, and a full outbox drops its oldest entries.
/// </summary>
internal sealed class StoreLoggerProvider(Outbox<LogRow> outbox, TimeProvider time) : ILoggerProvider
{
    public const int MaxMessageLength = 4000;
    public const int MaxExceptionLength = 8000;

    public ILogger CreateLogger(string categoryName) => new StoreLogger(categoryName, outbox, time);

    public void Dispose()
    {
    }

    private sealed class StoreLogger(string category, Outbox<LogRow> outbox, TimeProvider time) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = Truncate(formatter(state, exception), MaxMessageLength);
            var error = exception is null ? null : Truncate(exception.ToString(), MaxExceptionLength);
            var at = time.GetUtcNow().UtcDateTime;
            var level = logLevel switch
            {
                LogLevel.Warning => "warning",
                LogLevel.Error => "error",
                _ => "critical",
            };
            outbox.Add(seq => new LogRow(seq, at, level, eventId.Id, category, message, error));
        }

        private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
    }
}
