using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KxCollector.Tests.Support;

/// <summary>Captures log events so tests can assert what was (and was not) logged.</summary>
public sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    public string AllText => string.Join('\n', _entries.Select(e => e.Message));

    /// <summary>Entries below this level are not kept (for tests that check what a production level would show).</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Trace;

    public string Dump() => string.Join(Environment.NewLine, _entries.Select(e => $"{e.Level} {e.EventId} {e.Message}"));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= MinimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        _entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception), exception));
    }
}

public sealed record LogEntry(LogLevel Level, int EventId, string Message, Exception? Exception);

/// <summary>A typed wrapper, for constructors that want ILogger&lt;T&gt;; alone, it keeps its own list.</summary>
public sealed class ListLogger<T>(ListLogger inner) : ILogger<T>
{
    public ListLogger()
        : this(new ListLogger())
    {
    }

    public IReadOnlyList<LogEntry> Entries => inner.Entries;

    public LogLevel MinimumLevel
    {
        get => inner.MinimumLevel;
        set => inner.MinimumLevel = value;
    }

    public string Dump() => inner.Dump();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, formatter);
}
