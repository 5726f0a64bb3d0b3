using System.Diagnostics;

namespace KxCollector.Tests.Support;

/// <summary>
/// A small tmpfs mounted for one test, so "disk full" is a real ENOSPC from the kernel rather than a simulation.
/// Needs root (CI runs as root); a failed mount fails the test with the reason rather than skipping it.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static TmpfsMount Create(string path, int sizeKiB)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={sizeKiB}k", "tmpfs", path);
        return new TmpfsMount(path);
    }

    /// <summary>Writes a filler file until the kernel answers ENOSPC; returns its path.</summary>
    public string FillUp()
    {
        var filler = System.IO.Path.Combine(Path, "filler.bin");
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full, which is the point.
        }

        return filler;
    }

    public void Dispose() => Run("umount", "-l", Path);

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Trim()} — this test needs root to mount a tmpfs");
        }
    }
}
