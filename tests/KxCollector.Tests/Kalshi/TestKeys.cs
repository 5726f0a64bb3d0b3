using System.Security.Cryptography;

namespace KxCollector.Tests.Kalshi;

/// <summary>One RSA key per test run (generating 2048-bit keys is slow on two shared cores), in both PEM forms.</summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> Shared = new(() => RSA.Create(2048));

    public static RSA Rsa => Shared.Value;

    public static string Pkcs1Pem => Rsa.ExportRSAPrivateKeyPem();

    public static string Pkcs8Pem => Rsa.ExportPkcs8PrivateKeyPem();

    public static string PublicPem => Rsa.ExportSubjectPublicKeyInfoPem();

    public const string KeyId = "1a2b3c4d-5e6f-4711-8899-aabbccddeeff";

    /// <summary>Writes a key file with owner-only permissions, as an operator should.</summary>
    public static string WriteKeyFile(string directory, string pem, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = Path.Combine(directory, "kalshi-" + Guid.NewGuid().ToString("N")[..8] + ".pem");
        File.WriteAllText(path, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }
}
