using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace KxCollector.Tests.Support;

/// <summary>A Serilog sink keeping each event's rendered message, for tests of what the host logs through Serilog.</summary>
internal sealed class ListSink : ILogEventSink
{
    // Strings as written ({Message:lj}), not quoted as RenderMessage would.
    private static readonly MessageTemplateTextFormatter Format = new("{Message:lj}");
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string Text => string.Join(Environment.NewLine, _lines);

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Format.Format(logEvent, text);
        _lines.Enqueue(text.ToString());
    }
}
