namespace KxCollector.Configuration;

internal static class OutputDirectoryProbe
{
    /// <summary>
    /// Creates the folder and writes and removes a probe file, so an unwritable folder is a start-up error rather
    /// than a stream of failed ticks.
    /// </summary>
    public static void EnsureWritable(string key, string rawValue, string directory)
    {
        var probe = Path.Combine(directory, $".kxcollector-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(probe, [(byte)'\n']);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigurationException(key, rawValue, $"a folder that can be created and written ({ex.Message})");
        }
    }
}
