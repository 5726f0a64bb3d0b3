using System.Diagnostics;
using System.Globalization;
using KxCollector.Hosting;
using KxCollector.Store.Ingest;
using KxCollector.Store.Schema;
using KxCollector.Cli;
using KxCollector.Recording;

namespace KxCollector.Store.Cli;

/// <summary>
/// `kxcollector db import PATH…`: exit 0 when every file was read, 1 when some could not be (the rest are imported),
/// 2 for a path that does not exist, 69 when the database cannot be reached, 78 for DATABASE_URL or a refused login,
/// 70 when a line could not be handled (the file and line are named), 130 when interrupted (run it again: what is stored already is skipped).
/// </summary>
internal static class ImportCommand
{
    public static async Task<int> RunAsync(
        IReadOnlyList<string> paths,
        ImportSettings settings,
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
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(DayFileName.IsDataFile));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                await errors.WriteLineAsync($"kxcollector db import: no such file or folder: {path}");
                return ExitCodes.UsageError;
            }
        }

        // Older days first, like the live store: a partial import leaves the earliest data complete.
        files = files.Distinct(StringComparer.Ordinal)
            .OrderBy(f => DayFileName.DayOf(f) ?? DateOnly.MinValue)
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            await errors.WriteLineAsync($"kxcollector db import: no .jsonl or .jsonl.gz files in {string.Join(", ", paths)}");
            return ExitCodes.UsageError;
        }

        if (settings.BatchSize is < 1 or > 1_000_000)
        {
            await errors.WriteLineAsync("kxcollector db import: --batch-size must be from 1 to 1000000");
            return ExitCodes.UsageError;
        }

        if (settings.Writers is < 1 or > 16)
        {
            await errors.WriteLineAsync("kxcollector db import: --writers must be from 1 to 16");
            return ExitCodes.UsageError;
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

        var importer = new Importer(files, settings.BatchSize ?? Importer.DefaultBatchSize, settings.Writers ?? Importer.DefaultWriters);
        await using var display = new ConsoleProgress(errors, terminal, ProgressLineInterval, TimeProvider.System, d => ProgressLine(importer.Progress, d));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Importing {files.Count} file(s), {importer.TotalBytes / (1024.0 * 1024.0):F1} MB, into {target.Description}"));
        var clock = Stopwatch.StartNew();
        display.Start();
        int exit;
        try
        {
            await importer.RunAsync(dataSource, interrupt.Token);
            await display.StopAsync(lastLine: true);
            exit = importer.Failures.Count > 0 ? ExitCodes.ProblemsFound : ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            await display.StopAsync();
            await errors.WriteLineAsync("kxcollector db import: interrupted; run the same command again to finish (rows already stored are skipped)");
            exit = ExitCodes.Interrupted;
        }
        catch (ImportWriteException ex)
        {
            await display.StopAsync();
            return await DbSession.FailAsync($"db import: writing the rows of {ex.Lines}", ex.InnerException!, target, errors);
        }
        catch (Exception ex) when (DatabaseErrors.IsDatabaseFailure(ex))
        {
            await display.StopAsync();
            return await DbSession.FailAsync("db import", ex, target, errors);
        }
        catch (ImportReadException ex)
        {
            await display.StopAsync();
            await errors.WriteLineAsync($"kxcollector db import: stopped at {ex.Message} (the batches before it are stored)");
            return ExitCodes.Software;
        }

        foreach (var failure in importer.Failures)
        {
            await errors.WriteLineAsync($"kxcollector db import: could not read {failure}");
        }

        await output.WriteLineAsync(Describe(importer.Summary, clock.Elapsed));
        return exit;
    }

    /// <summary>A plain progress line this often when the output is not a terminal.</summary>
    public static readonly TimeSpan ProgressLineInterval = TimeSpan.FromSeconds(5);

    private const int BarWidth = 30;

    /// <param name="verb">The verb named on each plain line (import, export: both read files into rows).</param>
    internal static string ProgressLine(ImportProgress p, ConsoleProgress display, string verb = "import")
    {
        var c = CultureInfo.InvariantCulture;
        var elapsed = display.Elapsed.TotalSeconds;
        var fraction = p.TotalBytes > 0 ? Math.Clamp((double)p.BytesDone / p.TotalBytes, 0, 1) : 1;
        var rate = elapsed > 0 ? p.RowsStaged / elapsed : 0;
        var eta = fraction > 0.001 && fraction < 1 ? TimeSpan.FromSeconds(elapsed * (1 - fraction) / fraction) : TimeSpan.Zero;
        var file = Path.GetFileName(p.CurrentFile);
        return display.Terminal
            ? string.Create(c, $"{ConsoleProgress.Bar(fraction, BarWidth)}  {Size(p.BytesDone)}/{Size(p.TotalBytes)}  {p.RowsStaged:N0} rows  {rate:N0} rows/s  ETA {eta:h\\:mm\\:ss}  {file}")
            : string.Create(c, $"{verb}: {fraction * 100:F1}% ({Size(p.BytesDone)} of {Size(p.TotalBytes)}), {p.Lines:N0} lines, {p.RowsStaged:N0} rows, {rate:N0} rows/s, now {file}");
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F0} KB"),
    };

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

/// <summary>`db import`'s options as given (null: the default).</summary>
internal readonly record struct ImportSettings(int? BatchSize, int? Writers);
