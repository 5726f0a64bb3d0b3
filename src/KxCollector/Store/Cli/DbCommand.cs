using System.CommandLine;

namespace KxCollector.Store.Cli;

/// <summary>`kxcollector db migrate` and `kxcollector db import PATH…`.</summary>
internal static class DbCommand
{
    public static Command Create(Option<string?> envFile)
    {
        var migrate = new Command("migrate", "Create or upgrade the database schema (DATABASE_URL) and exit; the collector also does this at start");
        migrate.SetAction((parse, ct) => MigrateCommand.RunAsync(parse.GetValue(envFile), Console.Out, Console.Error, ct));

        var paths = new Argument<string[]>("paths")
        {
            Description = "Data files (.jsonl or .jsonl.gz) or folders of them (searched recursively)",
            Arity = ArgumentArity.OneOrMore,
        };
        var batchSize = new Option<int?>("--batch-size")
        {
            Description = $"Rows per transaction (default {Importer.DefaultBatchSize})",
        };
        var writers = new Option<int?>("--writers")
        {
            Description = $"Database connections writing batches at once (default {Importer.DefaultWriters})",
        };
        var import = new Command("import", "Load recorded JSONL files into the database; rows already there are skipped, so running it twice is safe")
        {
            paths,
            batchSize,
            writers,
        };
        import.SetAction((parse, ct) => ImportCommand.RunAsync(
            parse.GetValue(paths) ?? [],
            new ImportSettings(parse.GetValue(batchSize), parse.GetValue(writers)),
            parse.GetValue(envFile),
            Console.Out,
            Console.Error,
            !Console.IsErrorRedirected,
            ct));

        return new Command("db", "The database store: schema and history import")
        {
            migrate,
            import,
        };
    }
}
