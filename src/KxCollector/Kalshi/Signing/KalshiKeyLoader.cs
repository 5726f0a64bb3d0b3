using System.Security.Cryptography;
using KxCollector.Configuration;

namespace KxCollector.Kalshi.Signing;

/// <summary>
/// Loads the RSA private key PEM. Kalshi issues PKCS#1 ("BEGIN RSA PRIVATE KEY"); PKCS#8 ("BEGIN PRIVATE KEY") is
/// accepted too. Every failure is a <see cref="ConfigurationException"/> naming the file and never its contents.
/// </summary>
internal static class KalshiKeyLoader
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const string Expected = "an RSA private key PEM (PKCS#1 'BEGIN RSA PRIVATE KEY' or PKCS#8 'BEGIN PRIVATE KEY')";

    public static RSA Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            // The I/O messages name the path and the reason (not found, permission denied), never file contents.
            throw new ConfigurationException(SettingKeys.KalshiPrivKeyPath, $"cannot read the private key file {path}: {ex.Message}", (Exception?)null);
        }

        var pem = FindPrivateKeyBlock(text)
            ?? throw new ConfigurationException(SettingKeys.KalshiPrivKeyPath, $"{path} is not {Expected}", (Exception?)null);

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            rsa.Dispose();

            // No inner exception: a parser message has no business near key material, so none is passed on.
            throw new ConfigurationException(SettingKeys.KalshiPrivKeyPath, $"{path} is not {Expected} (an encrypted or non-RSA key cannot be used)", (Exception?)null);
        }
    }

    /// <summary>True when the file's Unix mode lets group or others read, write or execute it.</summary>
    public static bool IsExposed(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return (File.GetUnixFileMode(path) & GroupOrOthers) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The first private-key PEM block; public keys and certificates in the same file are not keys we can sign with.</summary>
    private static string? FindPrivateKeyBlock(string text)
    {
        var remaining = text.AsSpan();
        var offset = 0;
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var label = remaining[fields.Label];
            if (label.SequenceEqual("RSA PRIVATE KEY") || label.SequenceEqual("PRIVATE KEY"))
            {
                return text.Substring(offset + fields.Location.Start.Value, fields.Location.End.Value - fields.Location.Start.Value);
            }

            var end = fields.Location.End.Value;
            remaining = remaining[end..];
            offset += end;
        }

        return null;
    }
}
