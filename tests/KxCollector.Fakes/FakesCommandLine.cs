using KxCollector.Fakes.Exchanges;
using KxCollector.Fakes.Kalshi;

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
            case "kalshi":
                return await KalshiCommand.RunAsync(args[1..], Console.Out, Console.Error);
            default:
                await Console.Error.WriteLineAsync("usage: kxfakes <verb> [options]; verbs:");
                await Console.Error.WriteLineAsync(ExchangesCommand.Usage);
                await Console.Error.WriteLineAsync(KalshiCommand.Usage);
                return 2;
        }
    }
}
