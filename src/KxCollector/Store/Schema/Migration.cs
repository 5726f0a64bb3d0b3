using System.Security.Cryptography;
using System.Text;

namespace KxCollector.Store.Schema;

/// <summary>One step of the schema. Applied once, in version order, each in the same transaction as its schema_migrations row.</summary>
internal sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>Recorded with the version, so an edited migration that was already applied somewhere can be noticed.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}
