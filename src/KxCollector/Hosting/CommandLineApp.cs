using System.CommandLine;
using KxCollector.Backfill;
using KxCollector.Export;
using KxCollector.SettlementReport;
using KxCollector.Store.Cli;
using KxCollector.Status;
using KxCollector.Verification;
using KxCollector.Cli;

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
        root.Subcommands.Add(CreateVerify(envFile));
        root.Subcommands.Add(CreateBackfill(envFile, debug));
        root.Subcommands.Add(DbCommand.Create(envFile));
        root.Subcommands.Add(CreateStatus(envFile));
        root.Subcommands.Add(CreateSettlements(envFile));
        root.Subcommands.Add(CreateExport(envFile));
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"kxcollector: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'kxcollector --help' for usage.");
            return ExitCodes.UsageError;
        }

        // The generic host handles SIGTERM/SIGINT itself (graceful stop, flush); System.CommandLine must not also.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(invocation);
    }

    private static Command CreateStatus(Option<string?> envFile)
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (with status.json inside)" };
        var maxTickAge = new Option<double>("--max-tick-age")
        {
            Description = "Seconds without a tick after which the collector counts as not recording (exit 3)",
            DefaultValueFactory = _ => StatusCommand.DefaultMaxTickAge.TotalSeconds,
        };
        maxTickAge.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is var seconds && (!double.IsFinite(seconds) || seconds <= 0))
            {
                result.AddError("--max-tick-age must be a positive number of seconds");
            }
        });
        var status = new Command("status", "Is the data complete? Last tick, today's file, missing seconds, feeds, Kalshi, disk. Exit 0 healthy, 1 unhealthy, 3 not recording")
        {
            json,
            maxTickAge,
        };
        status.SetAction((parse, _) => StatusCommand.RunAsync(
            parse.GetValue(envFile), parse.GetValue(json), TimeSpan.FromSeconds(parse.GetValue(maxTickAge)), TimeProvider.System, Console.Out, Console.Error));
        return status;
    }

    private static Command CreateVerify(Option<string?> envFile)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Data files (.jsonl or .jsonl.gz) or folders of them; default: OUTPUT_DIR",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print the findings as JSON" };
        var verify = new Command("verify", "Check recorded files: parse errors, missing and duplicated seconds, late ticks, nulls, settlements")
        {
            paths,
            json,
        };
        verify.SetAction((parse, _) => VerifyCommand.RunAsync(
            parse.GetValue(paths) ?? [], parse.GetValue(json), parse.GetValue(envFile), Console.Out, Console.Error));
        return verify;
    }

    private static Command CreateSettlements(Option<string?> envFile)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Data files (.jsonl or .jsonl.gz) or folders of them; default: OUTPUT_DIR",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print the rows and the summary as JSON" };
        var settlements = new Command("settlements", "Which number did Kalshi settle on? expiration_value beside the official index mean, Kalshi's average and our proxy, with errors and outcome agreement")
        {
            paths,
            json,
        };
        settlements.SetAction((parse, _) => SettlementsCommand.RunAsync(
            parse.GetValue(paths) ?? [], parse.GetValue(json), parse.GetValue(envFile), Console.Out, Console.Error));
        return settlements;
    }

    private static Command CreateBackfill(Option<string?> envFile, Option<bool> debug)
    {
        var series = new Option<string>("--series")
        {
            Description = "Series to backfill, comma-separated (e.g. KXBTC15M,KXETH15M)",
            Required = true,
        };
        var from = new Option<string>("--from")
        {
            Description = "First UTC day (2026-10-01) or an RFC 3339 time: markets closing from then on",
            Required = true,
        };
        var to = new Option<string?>("--to") { Description = "Last UTC day, included (or an RFC 3339 time, excluded); default: now" };
        var what = new Option<string?>("--what") { Description = "What to fetch, comma-separated: markets,trades,candles (default: all)" };
        var interval = new Option<string?>("--interval") { Description = "Candle period: 1m (default), 1h or 1d" };
        var backfill = new Command("backfill", "Fetch settled markets, their trades and candles from Kalshi's history into OUTPUT_DIR/backfill/<series>/ (resumable)")
        {
            series,
            from,
            to,
            what,
            interval,
        };
        backfill.SetAction((parse, _) => BackfillCommand.RunAsync(
            parse.GetValue(series)!,
            parse.GetValue(from)!,
            parse.GetValue(to),
            parse.GetValue(what),
            parse.GetValue(interval),
            parse.GetValue(envFile),
            parse.GetValue(debug),
            Console.Out,
            Console.Error));
        return backfill;
    }

    private static Command CreateExport(Option<string?> envFile)
    {
        var series = new Option<string>("--series") { Description = "Series to export, comma-separated (e.g. KXBTC15M,KXNFLGAME)", Required = true };
        var from = new Option<string>("--from") { Description = "First UTC day (2026-11-01)", Required = true };
        var to = new Option<string?>("--to") { Description = "Last UTC day, included; default: yesterday (today's file is not finished)" };
        var format = new Option<string>("--format") { Description = "parquet or csv", Required = true };
        var output = new Option<string>("--out") { Description = "Folder of the tables: <out>/<table>/<series>-YYYY-MM-DD.parquet|csv", Required = true };
        var export = new Command("export", "Write the recorded and backfilled files (plain or .gz) as typed tables for backtests: ticks, quotes, books, trades, settlements, lifecycle, index, candles, games")
        {
            series,
            from,
            to,
            format,
            output,
        };
        export.SetAction((parse, ct) => ExportCommand.RunAsync(
            parse.GetValue(series)!,
            parse.GetValue(from)!,
            parse.GetValue(to),
            parse.GetValue(format)!,
            parse.GetValue(output)!,
            parse.GetValue(envFile),
            Console.Out,
            Console.Error,
            !Console.IsErrorRedirected,
            ct));
        return export;
    }
}
