namespace KxCollector.Cli;

/// <summary>
/// For the verbs that stop cleanly on the first Ctrl-C (db import, export): a token cancelled by it, or by the
/// caller's own, and the handler removed again when disposed.
/// </summary>
internal sealed class ConsoleInterrupt : IDisposable
{
    private readonly CancellationTokenSource _source;

    public ConsoleInterrupt(CancellationToken ct)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Console.CancelKeyPress += OnCancel;
    }

    public CancellationToken Token => _source.Token;

    public bool IsCancellationRequested => _source.IsCancellationRequested;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _source.Dispose();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        _source.Cancel();
    }
}
