using System.Diagnostics;
using System.Globalization;
using KxCollector.Hosting;
using KxCollector.Store.Ingest;
using KxCollector.Store.Schema;

namespace KxCollector.Store.Cli;

/// <summary>
/// `kxcollector db import PATH…`: exit 0 when every file was read, 1 when some could not be (the rest are imported),
/// 2 for a path that does not exist, 69 when the database cannot be reached, 78 for DATABASE_URL or a refused login,
/// 130 when interrupted (run it again: what is stored already is skipped).
/// </summary>
internal static class ImportCommand
{
    public const int SomeFilesFailed = 1;
    public const int UsageError = 2;
    public const int Interrupted = 130;

    public static async Task<int> RunAsync(
        IReadOnlyList<string> paths,
        int? batchSize,
        string? envFile,
        TextWriter output,
        TextWriter errors,
        bool terminal,
        CancellationToken ct)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(DataFileNames.IsDataFile));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                await errors.WriteLineAsync($"kxcollector db import: no such file or folder: {path}");
                return UsageError;
            }
        }

        // Older days first, like the live store: a partial import leaves the earliest data complete.
        files = files.Distinct(StringComparer.Ordinal)
            .OrderBy(f => DataFileNames.DayOf(f) ?? DateOnly.MinValue)
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            await errors.WriteLineAsync($"kxcollector db import: no .jsonl or .jsonl.gz files in {string.Join(", ", paths)}");
            return UsageError;
        }

        if (batchSize is < 1 or > 1_000_000)
        {
            await errors.WriteLineAsync("kxcollector db import: --batch-size must be from 1 to 1000000");
            return UsageError;
        }

        var store = await DbSession.LoadAsync("db import", envFile, errors);
        if (store?.Target is not { } target)
        {
            return ExitCodes.Config;
        }

        // First Ctrl-C: stop cleanly after the batch in flight. Importing is idempotent, so stopping anywhere is safe.
        using var interrupt = new ConsoleInterrupt(ct);
        await using var dataSource = target.CreateDataSource();
        try
        {
            await SchemaMigrator.MigrateAsync(dataSource, Migrations.All, interrupt.Token);
        }
        catch (Exception ex) when (DatabaseErrors.IsDatabaseFailure(ex))
        {
            return await DbSession.FailAsync("db import", ex, target, errors);
        }

        var importer = new Importer(files, batchSize ?? Importer.DefaultBatchSize);
        var display = new ProgressDisplay(errors, terminal, TimeProvider.System);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Importing {files.Count} file(s), {importer.TotalBytes / (1024.0 * 1024.0):F1} MB, into {target.Description}"));
        var clock = Stopwatch.StartNew();
        var run = importer.RunAsync(dataSource, interrupt.Token);
        using (var timer = new PeriodicTimer(display.Interval))
        {
            while (await Task.WhenAny(run, timer.WaitForNextTickAsync(CancellationToken.None).AsTask()) != run)
            {
                display.Show(importer.Progress);
            }
        }

        int exit;
        try
        {
            await run;
            display.Show(importer.Progress);
            exit = importer.Failures.Count > 0 ? SomeFilesFailed : ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            display.Finish();
            await errors.WriteLineAsync("kxcollector db import: interrupted; run the same command again to finish (rows already stored are skipped)");
            exit = Interrupted;
        }
        catch (Exception ex) when (DatabaseErrors.IsDatabaseFailure(ex))
        {
            display.Finish();
            return await DbSession.FailAsync("db import", ex, target, errors);
        }

        display.Finish();
        foreach (var failure in importer.Failures)
        {
            await errors.WriteLineAsync($"kxcollector db import: could not read {failure}");
        }

        await output.WriteLineAsync(Describe(importer.Summary, clock.Elapsed));
        return exit;
    }

    internal static string Describe(ImportSummary s, TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        var rate = elapsed.TotalSeconds > 0 ? s.RowsStaged / elapsed.TotalSeconds : 0;
        var skipped = s.Unparseable + s.UnknownType + s.Rejected;
        var text = string.Create(c, $"Imported {s.Files} file(s): {s.Lines:N0} lines, {s.RowsInserted:N0} new rows, {s.RowsAlreadyPresent:N0} already present; ");
        text += string.Create(c, $"{skipped:N0} lines skipped ({s.Unparseable:N0} unparseable, {s.UnknownType:N0} of an unknown type, {s.Rejected:N0} missing a key field)");
        if (s.IncompleteLines > 0)
        {
            text += string.Create(c, $"; {s.IncompleteLines} unfinished last line(s) left out");
        }

        return text + string.Create(c, $"; {elapsed.TotalSeconds:F1} s, {rate:N0} rows/s");
    }
}
