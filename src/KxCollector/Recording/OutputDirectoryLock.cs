using System.Globalization;

namespace KxCollector.Recording;

/// <summary>
/// An exclusive lock on the output folder, so two collectors can never interleave lines in the same files.
/// On Linux .NET takes flock(LOCK_EX | LOCK_NB) for FileShare.None; the kernel releases it when the process dies,
/// even by kill -9, so a crash never leaves a stale lock behind.
/// </summary>
internal sealed class OutputDirectoryLock : IDisposable
{
    public const string FileName = ".kxcollector.lock";

    /// <summary>
    /// The holder's PID lives beside the lock, not in it: .NET takes a shared flock even to read a file, which the
    /// exclusive holder refuses, so a second instance could not read a PID kept inside the lock file.
    /// </summary>
    public const string PidFileName = ".kxcollector.pid";

    private readonly FileStream _stream;
    private readonly string _pidPath;

    private OutputDirectoryLock(FileStream stream, string path, string pidPath)
    {
        _stream = stream;
        Path = path;
        _pidPath = pidPath;
    }

    public string Path { get; }

    /// <summary>Takes the lock, or returns null with the holder's PID (when known) if another process has it.</summary>
    public static OutputDirectoryLock? TryAcquire(string directory, out string? holderPid)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        var pidPath = System.IO.Path.Combine(directory, PidFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException)
        {
            holderPid = ReadPid(pidPath);
            return null;
        }

        try
        {
            File.WriteAllText(pidPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only informational (it names the holder to a second instance); a full disk must not stop start-up.
        }

        holderPid = null;
        return new OutputDirectoryLock(stream, path, pidPath);
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_pidPath);
        }
        catch (IOException)
        {
        }

        _stream.Dispose();
    }

    private static string? ReadPid(string pidPath)
    {
        try
        {
            return File.ReadAllText(pidPath).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
