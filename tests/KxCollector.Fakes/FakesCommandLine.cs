using KxCollector.Fakes.Exchanges;

namespace KxCollector.Fakes;

/// <summary>Command line of the standalone fakes process. Each venue's fake registers itself here as it is written.</summary>
public static class FakesCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        switch (args.FirstOrDefault())
        {
            case "exchanges":
                return await ExchangesCommand.RunAsync(args[1..], Console.Out, Console.Error);
            default:
                await Console.Error.WriteLineAsync("usage: kxfakes <verb> [options]; verbs:");
                await Console.Error.WriteLineAsync(ExchangesCommand.Usage);
                return 2;
        }
    }
}
