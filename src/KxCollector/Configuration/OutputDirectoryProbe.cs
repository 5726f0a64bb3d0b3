namespace KxCollector.Configuration;

internal static class OutputDirectoryProbe
{
    /// <summary>
    /// Creates the folder and creates and removes an empty probe file, so an unwritable folder is a start-up error
    /// rather than a stream of failed ticks. The probe holds no data on purpose: a full disk is a passing condition
    /// the writer rides out, and must not look like a configuration error (exit 78 is never restarted).
    /// </summary>
    public static void EnsureWritable(string key, string rawValue, string directory)
    {
        var probe = Path.Combine(directory, $".kxcollector-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(directory);
            File.Create(probe).Dispose();
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigurationException(key, rawValue, $"a folder that can be created and written ({ex.Message})");
        }
    }
}
