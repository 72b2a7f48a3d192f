using System.Buffers.Text;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GameSignals.Events;
using GameSignals.Fraud;

namespace GameSignals.Tests.Fraud;

/// <summary>Certificates, keys, receipts and policies made in the test, for <see cref="ReceiptVerifier"/> itself.</summary>
internal static class ReceiptPki
{
    public const string Bundle = "com.example.odin";

    public static X509Certificate2 Root(string name = "CN=Test Root", X509KeyUsageFlags usage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, bool? ca = true)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        if (ca is { } isCa)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, true));
        }

        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        return request.CreateSelfSigned(FraudHarness.T0.AddYears(-1), FraudHarness.T0.AddYears(5));
    }

    /// <summary>An intermediate CA with its own key, optionally carrying Apple's WWDR marker extension.</summary>
    public static X509Certificate2 Intermediate(X509Certificate2 issuer, bool appleMarker)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Test Intermediate", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        if (appleMarker)
        {
            request.CertificateExtensions.Add(new X509Extension(AppleChainRule.IntermediateMarkerOid, [0x05, 0x00], false));
        }

        using var signed = request.Create(issuer, FraudHarness.T0.AddYears(-1), FraudHarness.T0.AddYears(4), RandomNumberGenerator.GetBytes(8));
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A leaf for <paramref name="signer"/>, optionally carrying Apple's receipt-signing marker extension.</summary>
    public static X509Certificate2 Leaf(X509Certificate2 issuer, ECDsa signer, DateTimeOffset notBefore, DateTimeOffset notAfter, bool appleMarker = false)
    {
        var request = new CertificateRequest("CN=Test Signer", signer, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (appleMarker)
        {
            request.CertificateExtensions.Add(new X509Extension(AppleChainRule.LeafMarkerOid, [0x05, 0x00], false));
        }

        return request.Create(issuer, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
    }

    /// <summary>A policy of game odin with these App Store roots and, when given, this Play key; Apple's rule applies under <paramref name="appleRoots"/>.</summary>
    public static FraudPolicy Policy(
        IEnumerable<string> rootsBase64, string? environment = null, RSA? playKey = null, IEnumerable<X509Certificate2>? appleRoots = null)
    {
        var config = Config(rootsBase64, environment, playKey);
        var problems = new List<ConfigProblem>();
        var apple = appleRoots is null
            ? AppleChainRule.AppleRoots
            : appleRoots.Select(r => Convert.ToHexString(r.GetCertHash(HashAlgorithmName.SHA256))).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        var policy = FraudConfigValidator.TryCompile("odin", config, problems, "", apple);
        Assert.True(policy is not null, string.Join("; ", problems));
        return policy;
    }

    public static GameFraudConfig Config(IEnumerable<string> rootsBase64, string? environment = null, RSA? playKey = null) => new()
    {
        DeviceFarm = new DeviceFarmConfig { MaxDevicesPerIp = 5, Window = "PT10M" },
        Currencies = new() { ["google_play"] = ["USD"], ["app_store"] = ["USD"] },
        GooglePlay = new GooglePlayConfig
        {
            PackageName = Bundle,
            PublicKey = Convert.ToBase64String((playKey ?? DefaultPlayKey).ExportSubjectPublicKeyInfo()),
        },
        AppStore = new AppStoreConfig { BundleId = Bundle, RootCertificates = [.. rootsBase64], Environment = environment },
    };

    /// <summary>A Play key for policies whose Google side a test does not use (made once: RSA key generation is slow).</summary>
    public static readonly RSA DefaultPlayKey = RSA.Create(2048);

    public static string Base64(X509Certificate2 certificate) => Convert.ToBase64String(certificate.RawData);

    /// <summary>An ES256 JWS over an App Store transaction of product gem_100, with <paramref name="x5c"/> (base64 DER) in its header.</summary>
    public static string AppleJws(ECDsa signer, IEnumerable<string> x5c, string? environment = "Production", string transactionId = "1")
    {
        var header = new JsonObject { ["alg"] = "ES256", ["x5c"] = new JsonArray([.. x5c.Select(c => JsonValue.Create(c))]) };
        var payload = new JsonObject
        {
            ["transactionId"] = transactionId, ["productId"] = "gem_100", ["bundleId"] = Bundle, ["purchaseDate"] = 1762000000000,
        };
        if (environment is not null)
        {
            payload["environment"] = environment;
        }

        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "."
            + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = signer.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    public static PurchaseCompleted ApplePurchase(string jws, string orderId = "1") =>
        new(orderId, Stores.AppStore, "gem_100", 0.99m, "USD", "US", null, Json(new JsonObject { ["signedTransaction"] = jws }.ToJsonString()));

    /// <summary>A Google Play purchase whose purchaseData is <paramref name="purchaseData"/> signed by <paramref name="key"/>.</summary>
    public static PurchaseCompleted GooglePurchase(RSA key, string purchaseData, string? orderId = "GPA.1", bool escapeSlashes = false)
    {
        var signature = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(purchaseData), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1));
        var receipt = new JsonObject { ["purchaseData"] = purchaseData, ["signature"] = signature }.ToJsonString();
        if (escapeSlashes)
        {
            // Some producers write '/' as "\/" (and escape more); the signature covers the unescaped text.
            receipt = receipt.Replace("/", "\\/", StringComparison.Ordinal);
        }

        return new PurchaseCompleted(orderId, Stores.GooglePlay, "gem_100", 0.99m, "USD", "US", null, Json(receipt));
    }

    public static string PurchaseData(string? orderId = "GPA.1", string package = Bundle)
    {
        var data = new JsonObject();
        if (orderId is not null)
        {
            data["orderId"] = orderId;
        }

        data["packageName"] = package;
        data["productId"] = "gem_100";
        data["purchaseTime"] = 1762000000000;
        data["purchaseState"] = 0;
        data["purchaseToken"] = "tok/en+";
        return data.ToJsonString();
    }

    public static List<string> Checks(IReadOnlyList<ReceiptFailure> failures) => [.. failures.Select(f => f.Check).Order(StringComparer.Ordinal)];

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
