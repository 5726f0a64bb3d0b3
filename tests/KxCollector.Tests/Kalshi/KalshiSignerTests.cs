using System.Security.Cryptography;
using System.Text;
using KxCollector.Configuration;
using KxCollector.Kalshi.Signing;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Logging;

namespace KxCollector.Tests.Kalshi;

public sealed class KalshiSignerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1703123456789);

    [Fact]
    public void Message_is_timestamp_method_and_full_path_without_query()
    {
        var uri = new Uri("https://api.elections.kalshi.com/trade-api/v2/markets?series_ticker=KXBTC15M&status=open");

        KalshiSigner.Message(1703123456789, "get", KalshiSigner.SignedPath(uri)).Should().Be("1703123456789GET/trade-api/v2/markets");
    }

    [Theory]
    [InlineData("pkcs1")]
    [InlineData("pkcs8")]
    public void A_loaded_key_of_either_pem_form_signs_with_rsa_pss_sha256_verifiable_by_the_public_key(string form)
    {
        using var dir = new TempDirectory();
        var path = TestKeys.WriteKeyFile(dir.Path, form == "pkcs1" ? TestKeys.Pkcs1Pem : TestKeys.Pkcs8Pem);
        using var signer = new KalshiSigner(TestKeys.KeyId, KalshiKeyLoader.Load(path));

        var signature = Convert.FromBase64String(signer.Sign(1703123456789, "GET", "/trade-api/v2/markets"));

        using var publicKey = RSA.Create();
        publicKey.ImportFromPem(TestKeys.PublicPem);
        var message = Encoding.UTF8.GetBytes("1703123456789GET/trade-api/v2/markets");
        publicKey.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss).Should().BeTrue();
        publicKey.VerifyData(Encoding.UTF8.GetBytes("1703123456789GET/trade-api/v2/markets?x=1"), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
            .Should().BeFalse("the query is not part of the signed message");
        publicKey.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).Should().BeFalse("the padding is PSS, not PKCS#1 v1.5");
    }

    [Fact]
    public void Signature_uses_a_32_byte_salt_as_kalshi_requires()
    {
        // .NET's RSASignaturePadding.Pss uses salt length = digest length; recover the salt length from the
        // EM encoding (RFC 8017 9.1.2) with the raw public operation so this is checked, not assumed.
        using var signer = new KalshiSigner(TestKeys.KeyId, ImportPrivate(TestKeys.Pkcs1Pem));
        var signature = Convert.FromBase64String(signer.Sign(1, "GET", "/trade-api/v2/markets"));

        PssSaltLength(TestKeys.Rsa.ExportParameters(false), signature).Should().Be(32);
    }

    [Fact]
    public void Apply_sets_the_three_headers_with_the_same_timestamp_that_was_signed()
    {
        using var signer = new KalshiSigner(TestKeys.KeyId, ImportPrivate(TestKeys.Pkcs8Pem));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1/trade-api/v2/markets?status=open");

        signer.Apply(request, Now);

        request.Headers.GetValues("KALSHI-ACCESS-KEY").Should().Equal(TestKeys.KeyId);
        request.Headers.GetValues("KALSHI-ACCESS-TIMESTAMP").Should().Equal("1703123456789");
        var signature = Convert.FromBase64String(request.Headers.GetValues("KALSHI-ACCESS-SIGNATURE").Single());
        TestKeys.Rsa.VerifyData(Encoding.UTF8.GetBytes("1703123456789GET/trade-api/v2/markets"), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
            .Should().BeTrue();
    }

    [Fact]
    public void Apply_on_a_retry_replaces_the_headers_with_a_fresh_timestamp_and_signature()
    {
        using var signer = new KalshiSigner(TestKeys.KeyId, ImportPrivate(TestKeys.Pkcs8Pem));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1/trade-api/v2/markets");

        signer.Apply(request, Now);
        var first = request.Headers.GetValues("KALSHI-ACCESS-SIGNATURE").Single();
        signer.Apply(request, Now.AddMilliseconds(1500));

        request.Headers.GetValues("KALSHI-ACCESS-TIMESTAMP").Should().Equal("1703123458289");
        request.Headers.GetValues("KALSHI-ACCESS-SIGNATURE").Should().ContainSingle().Which.Should().NotBe(first);
    }

    [Fact]
    public void Redacted_key_id_shows_only_a_prefix()
    {
        KalshiSigner.Redact(TestKeys.KeyId).Should().Be("1a2b…");
        KalshiSigner.Redact("abc").Should().Be("…");
    }

    [Fact]
    public void Missing_key_file_is_a_configuration_error_naming_the_path()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("nope.pem");

        var act = () => KalshiKeyLoader.Load(path);

        act.Should().Throw<ConfigurationException>().Which.Message.Should().Contain(path).And.Contain("KALSHI_PRIV_KEY_PATH");
    }

    [Theory]
    [InlineData("public")]
    [InlineData("garbage")]
    [InlineData("ec")]
    [InlineData("corrupt")]
    public void A_file_that_is_not_an_rsa_private_key_is_a_configuration_error_that_never_prints_the_file(string kind)
    {
        using var dir = new TempDirectory();
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var content = kind switch
        {
            "public" => TestKeys.PublicPem,
            "garbage" => "not a key at all",
            "ec" => ec.ExportPkcs8PrivateKeyPem(),
            _ => "-----BEGIN RSA PRIVATE KEY-----\nTUlJQ2VR\n-----END RSA PRIVATE KEY-----\n",
        };
        var path = TestKeys.WriteKeyFile(dir.Path, content);

        var act = () => KalshiKeyLoader.Load(path);

        var message = act.Should().Throw<ConfigurationException>().Which.Message;
        message.Should().Contain(path).And.Contain("RSA private key");
        foreach (var line in content.Split('\n').Where(l => l.Length > 8 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            message.Should().NotContain(line);
        }
    }

    [Fact]
    public void Credentials_warn_when_the_key_file_is_readable_by_group_or_others()
    {
        using var dir = new TempDirectory();
        var exposed = TestKeys.WriteKeyFile(dir.Path, TestKeys.Pkcs1Pem, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var log = new ListLogger();

        using var credentials = KalshiCredentials.Load(Options(exposed), log);

        credentials.Signer.Should().NotBeNull();
        log.Entries.Should().ContainSingle(e => e.Level == LogLevel.Warning && e.EventId == 402).Which.Message.Should().Contain(exposed);
    }

    [Fact]
    public void Credentials_do_not_warn_for_an_owner_only_key_and_never_log_the_full_key_id()
    {
        using var dir = new TempDirectory();
        var path = TestKeys.WriteKeyFile(dir.Path, TestKeys.Pkcs1Pem);
        var log = new ListLogger();

        using var credentials = KalshiCredentials.Load(Options(path), log);

        log.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning);
        log.AllText.Should().Contain("1a2b…").And.NotContain(TestKeys.KeyId).And.NotContain("PRIVATE KEY");
    }

    [Fact]
    public void Without_credentials_the_collector_says_once_that_it_reads_public_endpoints_unsigned()
    {
        var log = new ListLogger();

        using var credentials = KalshiCredentials.Load(Options(null), log);

        credentials.Signer.Should().BeNull();
        log.Entries.Should().ContainSingle().Which.Message.Should().Contain("unsigned");
    }

    internal static KalshiOptions Options(string? keyPath, Uri? baseUrl = null) => new()
    {
        Environment = "demo",
        ApiBaseUrl = baseUrl ?? new Uri(KalshiOptions.DemoApiUrl),
        WebSocketUrl = new Uri(KalshiOptions.DemoWebSocketUrl),
        ApiKeyId = keyPath is null ? null : TestKeys.KeyId,
        PrivateKeyPath = keyPath,
    };

    private static RSA ImportPrivate(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    /// <summary>EMSA-PSS decoding (RFC 8017 9.1.2) for SHA-256 and MGF1-SHA-256: returns the salt length.</summary>
    private static int PssSaltLength(RSAParameters publicKey, byte[] signature)
    {
        var n = new System.Numerics.BigInteger(publicKey.Modulus, isUnsigned: true, isBigEndian: true);
        var e = new System.Numerics.BigInteger(publicKey.Exponent, isUnsigned: true, isBigEndian: true);
        var s = new System.Numerics.BigInteger(signature, isUnsigned: true, isBigEndian: true);
        var modBits = (int)n.GetBitLength();
        var emLen = (modBits - 1 + 7) / 8;
        var m = System.Numerics.BigInteger.ModPow(s, e, n).ToByteArray(isUnsigned: true, isBigEndian: true);
        var em = new byte[emLen];
        m.CopyTo(em, emLen - m.Length);
        const int hLen = 32;
        em[^1].Should().Be(0xBC);
        var maskedDb = em.AsSpan(0, emLen - hLen - 1).ToArray();
        var h = em.AsSpan(emLen - hLen - 1, hLen).ToArray();
        var mask = Mgf1(h, maskedDb.Length);
        for (var i = 0; i < maskedDb.Length; i++)
        {
            maskedDb[i] ^= mask[i];
        }

        maskedDb[0] &= (byte)(0xFF >> ((8 * emLen) - (modBits - 1)));
        var separator = Array.IndexOf(maskedDb, (byte)0x01);
        return maskedDb.Length - separator - 1;
    }

    private static byte[] Mgf1(byte[] seed, int length)
    {
        var output = new List<byte>(length + 32);
        for (var counter = 0; output.Count < length; counter++)
        {
            var c = new[] { (byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter };
            output.AddRange(SHA256.HashData([.. seed, .. c]));
        }

        return output.Take(length).ToArray();
    }
}
