namespace KxCollector.Fakes;

/// <summary>Command line of the standalone fakes process. Each venue's fake registers itself here as it is written.</summary>
public static class FakesCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        await Console.Error.WriteLineAsync("usage: kxfakes (no fakes are registered yet)");
        return 2;
    }
}
