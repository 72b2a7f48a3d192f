using System.Numerics;
using System.Security.Cryptography;

namespace GameSignals.Cli.Generate;

/// <summary>
/// Fixed test key material of the generator, embedded so that the same seed always gives the same
/// bytes: an RSA 2048 key signing Google Play receipts, and an App Store chain (a self-signed P-256
/// root and a leaf it issued, valid 2025-11-01 to 2036-11-01) whose leaf signs App Store JWS. These
/// keys are public test keys, never trusted by anything real; the generator writes their public
/// halves into <c>fraud.json</c>.
/// </summary>
internal static class TestKeys
{
    public const string AppStoreRootCertificate =
        "MIIBYDCCAQagAwIBAgIJAOErZNgw8e7CMAoGCCqGSM49BAMCMCMxITAfBgNVBAMTGEdhbWVTaWduYWxzIFRlc3QgUm9vdCBDQTAeFw0yNTExMDEwMDAwMDBa"
        + "Fw0zNjExMDEwMDAwMDBaMCMxITAfBgNVBAMTGEdhbWVTaWduYWxzIFRlc3QgUm9vdCBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABMobgwKDO2vHJwvV"
        + "yVf+oMFOPf4LVFTLap2u5jrtTm79KVM6QhEConNQLVSySH9rTjmGBaQuBgF2VmVyEWhxZmSjIzAhMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEG"
        + "MAoGCCqGSM49BAMCA0gAMEUCIQCzWL+Ghrm0pjHiib4vlmaHMGv0+OC0ZrZbSwbD1F6AhwIgZ7desMNtHYHq3FeuTSpFTU7uM1SaIslCPJjhexRhAB8=";

    public const string AppStoreLeafCertificate =
        "MIIBZTCCAQygAwIBAgIIAQIDBAUGBwgwCgYIKoZIzj0EAwIwIzEhMB8GA1UEAxMYR2FtZVNpZ25hbHMgVGVzdCBSb290IENBMB4XDTI1MTEwMTAwMDAwMFoX"
        + "DTM2MTEwMTAwMDAwMFowLTErMCkGA1UEAxMiR2FtZVNpZ25hbHMgVGVzdCBBcHAgU3RvcmUgU2lnbmluZzBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABJSx"
        + "AnFNBLn8ykqFp6jOzX7SN/tItomC85Ljkv3qh9fs8xgTqBpXnn5wpSjZ99NhsC1FC3zj9V6/A70Dciz3DIqjIDAeMAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/"
        + "BAQDAgeAMAoGCCqGSM49BAMCA0cAMEQCIG5iZFm6abMfUIzpokC+hp+pC3HOLYFdpoGWebJQSyuDAiBj9QETnU5+eDtV8gsH+ofs3YrC5qBbpDKD7PZQ3mLp"
        + "TA==";

    private const string AppStoreLeafPrivateKey = "pQ3Nfjk2ofNnoT1s4jWSQBM8KUkDv9wCCfAkgxn1c4Y=";

    private const string GooglePlayPrivateKey =
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCGl3XoKXnvJjekRotnsV1WFXIf8rxQqSDnofDAIP0cLQmy+mC8YN39dpOm0CXORTc37UEy"
        + "Y4VVKtCDAfbHROtN35TwIhpBHU0vGIHy0FJlMxlpMu9Zy0yFTluuzvYKJNbdeqwcbkQOXHCiELy81X4DiNeXQaRSjLr1lBoQwVnafxjOOO/AQ/jWqGSxvoNF"
        + "n9U6KcyM6pBG5AiBhaDg+ztkI8Z261xaBQHNgaaz1jFjxVckbEePS1io0yTYkNX+DaXo0nOh3Amf/TIeVXhtVQQEMVz3YK7ChiA3BSC7yYuuUg7EIMsEEbsU"
        + "dNk5dQYWPu0hGsirxiGPn8pdvGh53EFBAgMBAAECggEAB6+ViZz4vBnsGoL2ygScZmKSIlXrwBVwbhnW1DnuClJeF+zpYkiL1MIVO3Tue8GDHjv7uaNqRUtN"
        + "HfYaQBXk9Az9BduEsUw5kKNvJE0WL3ZEELhaZ7/OzlwDq09hSIIDDSHIu1TmqQVJX0/iX0w3xn7lhNs4RYiI0qZS+Lr55RrAvfe740lUWDgu4Nb6OebuNBCm"
        + "ZEOUhq1mTw6X0nZkvgCkbSwUIdbU4X5GYMd5WEefJDU6SL/2SvphXeNCMUcLWOWBBLs+cziUOQbui97BRFD1zw8P+SC+hBYSPj29O0HxSaPwdZBtYys2U2qS"
        + "LG/O6Sy/B7kK0151hcu+4SynWwKBgQC7BIBA2FDGKuoeyHkBnvDagEIBBEJMrlnuuJ3WPEd/zijSUqIs2rUgKP7kyoNwUrjda/V2TmnVNPZm1MAw8rkClITX"
        + "wpXjcMeEkTtsuO4I/HmxvrZfNH+Ba9mS8goKGII0QA85v0pHUM9rsdj8Wvzml3UWFrKQFoRKQ5URAabepwKBgQC4PInNcmI99D/BEfJ+jAeWwTwSM1NshIlZ"
        + "Zyngql1kwTgcenCQq4mQj/HjQSEVstNC6CZ6Ye/o1KQu5YDy/NAZBYM1dMB58mWh8xSryEl9Q/cjge8oG29nkcYOBfHAGy/SD/jvdcOFtq1La/tIoMC4HUBP"
        + "QzoKuWvhw89lonIF1wKBgGF3IAwrcDVG6kruubmxht6pFz0GZjMmbnIuPvwG4FBoNfge3qw3s0u2cdj0/flM81FaUUu95AQcnQnMePlJlkgU9QKpQ4qMHT8m"
        + "nWy1GEEQq6+Jr+wAJS9i8LpXcAoA6eKnPAghfGmcYO1Ee8xQ8xqN9pRzcc4MHhfCDu8VCE1jAoGBAIQB7IMmiDn3/o5qO6Rs1SsxvccUu5uvw3IptxnhOBXv"
        + "VDMjj/A42NKaMSkyC3Cutyzjhl5+OhZL9nAbxa9Vcg3bo030H83A3w2RTKhhVDbLMhNhEGlebw54pr55h+SsFjGffDCn4ra2U6kM7/n0JOJHI0Mn2jjA7wnO"
        + "8ZXTNXv1AoGAQUN3wfY8Hnf/GhbIgh6GZ52+IVGahyESZRXdry57pJyugPaVUBAB2hiXbyh6bSL2h1JB8RkFFfnaLsmnexKr6a7trt5Avpr1qzYHLdnOECzd"
        + "tybSnH2A+tuKARxqKT3V0MSEbuyEzXITeWKEjaCjPu0VxeFwh3igQ1Pyr5cqWf4=";

    private static readonly ECCurve Curve = ECCurve.NamedCurves.nistP256;

    // The order n of P-256.
    private static readonly BigInteger Order = BigInteger.Parse("115792089210356248762697446949407573529996955224135760342422259061068512044369", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly byte[] LeafD = Convert.FromBase64String(AppStoreLeafPrivateKey);

    public static RSA CreateGooglePlayKey()
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(GooglePlayPrivateKey), out _);
        return rsa;
    }

    /// <summary>
    /// ES256 signature (r || s, 64 bytes) of <paramref name="data"/> with the App Store leaf key and a
    /// nonce derived from the key and the message (HMAC-SHA256, in the spirit of RFC 6979), because
    /// the platform's ECDSA draws a random nonce and would make the output differ on every run.
    /// A standard verifier accepts it like any ECDSA signature.
    /// </summary>
    public static byte[] SignEs256Deterministic(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        Span<byte> nonce = stackalloc byte[32];
        HMACSHA256.HashData(LeafD, hash, nonce);
        var k = (ToInteger(nonce) % (Order - 1)) + 1;

        using var point = ECDsa.Create(new ECParameters { Curve = Curve, D = ToBytes(k) });
        var r = ToInteger(point.ExportParameters(false).Q.X) % Order;
        var s = BigInteger.ModPow(k, Order - 2, Order) * (ToInteger(hash) + (r * ToInteger(LeafD))) % Order;

        var signature = new byte[64];
        ToBytes(r).CopyTo(signature, 0);
        ToBytes(s).CopyTo(signature, 32);
        return signature;
    }

    private static BigInteger ToInteger(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    private static byte[] ToBytes(BigInteger value)
    {
        var bytes = new byte[32];
        value.TryWriteBytes(bytes.AsSpan(32 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }
}
