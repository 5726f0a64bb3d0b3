using System.CommandLine;

namespace KxCollector.Hosting;

/// <summary>The command line: with no verb, run the collector.</summary>
internal static class CommandLineApp
{
    public static RootCommand Create()
    {
        var envFile = new Option<string?>("--env-file")
        {
            Description = "Read settings from this .env file instead of ./.env (real environment variables still win)",
            Recursive = true,
        };
        var debug = new Option<bool>("--debug")
        {
            Description = "Log at debug level",
            Recursive = true,
        };

        var root = new RootCommand("KxCollector: records Kalshi markets, the BRTI proxy and Coinbase/Kraken/Bitstamp prices, one JSONL line per second")
        {
            envFile,
            debug,
        };
        root.SetAction((parse, _) => DaemonCommand.RunAsync(parse.GetValue(envFile), parse.GetValue(debug), Console.Error));
        return root;
    }

    public static Task<int> InvokeAsync(string[] args)
    {
        // The generic host handles SIGTERM/SIGINT itself (graceful stop, flush); System.CommandLine must not also.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return Create().Parse(args).InvokeAsync(invocation);
    }
}
