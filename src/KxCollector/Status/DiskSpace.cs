namespace KxCollector.Status;

/// <summary>Free and total bytes of the file system holding a folder (a full disk is the slow way to lose data).</summary>
internal sealed record DiskSpace(long FreeBytes, long TotalBytes, string Path)
{
    public static DiskSpace? Of(string directory)
    {
        try
        {
            var existing = directory;
            while (!Directory.Exists(existing) && System.IO.Path.GetDirectoryName(existing) is { } parent)
            {
                existing = parent;
            }

            var drive = new DriveInfo(existing);
            return new DiskSpace(drive.AvailableFreeSpace, drive.TotalSize, existing);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    public static string Human(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
