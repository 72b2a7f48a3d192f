using System.Buffers.Text;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using GameSignals.Events;
using GameSignals.Fraud;

namespace GameSignals.Benchmarks.Fraud;

/// <summary>
/// Receipt verification per core, on receipts shaped as the contract's (and Apple's and Google's real ones): Google Play
/// RSA-2048 SHA-1 signatures, App Store ES256 JWS with an x5c of leaf (P-256), intermediate and root (P-384, signed
/// with SHA-384, Apple's marker OIDs, the G3 rule applied). Every receipt is distinct, as in a real stream.
/// Baseline per store: the same verifier on a disposed configuration version, which parses the key, loads the roots
/// and builds the chain for every receipt, as every verification did before the keys were kept per version.
/// The raw signature check is the floor no verifier can go below: for the App Store, the fixed-key P-256 verifier the
/// fraud stage uses, beside the platform's ES256 verify it replaced. Goal: at least 20,000 verifications/s per store.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ReceiptBenchmarks
{
    public const int Receipts = 256;
    private static readonly DateTimeOffset EventTime = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<IDisposable> _owned = [];
    private PurchaseCompleted[] _google = [];
    private PurchaseCompleted[] _apple = [];
    private FraudPolicy _cached = null!;
    private FraudPolicy _uncached = null!;
    private RSA _playKey = null!;
    private RSA _playPublicKey = null!;
    private ECDsa _leafKey = null!;
    private ECDsa _leafPublicKey = null!;
    private P256FixedKeyVerifier _leafVerifier = null!;
    private byte[][] _googleData = [];
    private byte[][] _googleSignatures = [];
    private byte[][] _appleInputs = [];
    private byte[][] _appleSignatures = [];

    [GlobalSetup]
    public void Setup()
    {
        _playKey = Own(RSA.Create(2048));
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        _leafKey = Own(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        // The floors verify with the public keys alone, as a verifier holds it (a key with its private part verifies slower).
        _leafPublicKey = Own(ECDsa.Create());
        _leafPublicKey.ImportSubjectPublicKeyInfo(_leafKey.ExportSubjectPublicKeyInfo(), out _);
        _leafVerifier = P256FixedKeyVerifier.TryCreate(_leafPublicKey)!;
        _playPublicKey = Own(RSA.Create());
        _playPublicKey.ImportSubjectPublicKeyInfo(_playKey.ExportSubjectPublicKeyInfo(), out _);
        var root = Own(Certificate("CN=Bench Root", rootKey, null, true, null));
        using var intermediatePublic = Certificate("CN=Bench WWDR", intermediateKey, root, true, AppleChainRule.IntermediateMarkerOid);
        var intermediate = Own(intermediatePublic.CopyWithPrivateKey(intermediateKey));
        var leaf = Own(Certificate("CN=Bench Receipt Signing", _leafKey, intermediate, false, AppleChainRule.LeafMarkerOid));

        var config = new GameFraudConfig
        {
            DeviceFarm = new DeviceFarmConfig { MaxDevicesPerIp = 5, Window = "PT10M" },
            Currencies = new() { [Stores.GooglePlay] = ["USD"], [Stores.AppStore] = ["USD"] },
            GooglePlay = new GooglePlayConfig { PackageName = "com.example.odin", PublicKey = Convert.ToBase64String(_playKey.ExportSubjectPublicKeyInfo()) },
            AppStore = new AppStoreConfig { BundleId = "com.example.odin", RootCertificates = [Convert.ToBase64String(root.RawData)] },
        };
        var appleRoots = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, Convert.ToHexString(root.GetCertHash(HashAlgorithmName.SHA256)));
        _cached = Own(FraudConfigValidator.TryCompile("odin", config, [], "", appleRoots)!);
        _uncached = FraudConfigValidator.TryCompile("odin", config, [], "", appleRoots)!;
        _uncached.Dispose();

        var x5c = new JsonArray([.. new[] { leaf, intermediate, root }.Select(c => JsonValue.Create(Convert.ToBase64String(c.RawData)))]);
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = "ES256", ["x5c"] = x5c }.ToJsonString()));
        _google = new PurchaseCompleted[Receipts];
        _apple = new PurchaseCompleted[Receipts];
        _googleData = new byte[Receipts][];
        _googleSignatures = new byte[Receipts][];
        _appleInputs = new byte[Receipts][];
        _appleSignatures = new byte[Receipts][];
        for (var i = 0; i < Receipts; i++)
        {
            var orderId = $"GPA.3372-4418-{i:D4}-{i * 7919 % 100000:D5}";
            var purchaseData = $$"""{"orderId":"{{orderId}}","packageName":"com.example.odin","productId":"gem_100","purchaseTime":{{1762000000000 + i}},"purchaseState":0,"purchaseToken":"opaque-token-{{i}}.AO-J1OzQ0u1Xb4xWm2pDv9E3kN7tH5sR8yL6cF0aZ","quantity":1,"acknowledged":false}""";
            _googleData[i] = Encoding.UTF8.GetBytes(purchaseData);
            _googleSignatures[i] = _playKey.SignData(_googleData[i], HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
            _google[i] = Purchase(orderId, Stores.GooglePlay, new JsonObject { ["purchaseData"] = purchaseData, ["signature"] = Convert.ToBase64String(_googleSignatures[i]) });

            var transactionId = (2000000847061981L + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var input = header + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(ApplePayload(transactionId, i)));
            _appleInputs[i] = Encoding.ASCII.GetBytes(input);
            _appleSignatures[i] = _leafKey.SignData(_appleInputs[i], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            _apple[i] = Purchase(transactionId, Stores.AppStore, new JsonObject { ["signedTransaction"] = input + "." + Base64Url.EncodeToString(_appleSignatures[i]) });
        }

        foreach (var (purchases, policy) in new[] { (_google, _cached), (_apple, _cached), (_google, _uncached), (_apple, _uncached) })
        {
            if (ReceiptVerifier.Verify(purchases[0], policy, EventTime) is { Count: > 0 } failures)
            {
                throw new InvalidOperationException("bench receipt is invalid: " + string.Join(", ", failures));
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _owned.ForEach(o => o.Dispose());

    [Benchmark(Baseline = true, OperationsPerInvoke = Receipts)]
    [BenchmarkCategory("google_play")]
    public int GooglePlayParsedPerReceipt() => VerifyAll(_google, _uncached);

    [Benchmark(OperationsPerInvoke = Receipts)]
    [BenchmarkCategory("google_play")]
    public int GooglePlayKeysPerVersion() => VerifyAll(_google, _cached);

    [Benchmark(OperationsPerInvoke = Receipts)]
    [BenchmarkCategory("google_play")]
    public int GooglePlayRsaVerifyOnly()
    {
        var valid = 0;
        for (var i = 0; i < Receipts; i++)
        {
            valid += _playPublicKey.VerifyData(_googleData[i], _googleSignatures[i], HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1) ? 1 : 0;
        }

        return valid;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Receipts)]
    [BenchmarkCategory("app_store")]
    public int AppStoreParsedPerReceipt() => VerifyAll(_apple, _uncached);

    [Benchmark(OperationsPerInvoke = Receipts)]
    [BenchmarkCategory("app_store")]
    public int AppStoreKeysPerVersion() => VerifyAll(_apple, _cached);

    /// <summary>The platform's ES256 verify (<see cref="ECDsa.VerifyData(byte[], byte[], HashAlgorithmName, DSASignatureFormat)"/>, OpenSSL), SHA-256 included.</summary>
    [Benchmark(OperationsPerInvoke = Receipts)]
    [BenchmarkCategory("app_store")]
    public int AppStorePlatformEs256VerifyOnly()
    {
        var valid = 0;
        for (var i = 0; i < Receipts; i++)
        {
            valid += _leafPublicKey.VerifyData(_appleInputs[i], _appleSignatures[i], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation) ? 1 : 0;
        }

        return valid;
    }

    /// <summary>The fixed-key verifier the fraud stage uses for a P-256 leaf, SHA-256 included, nothing else.</summary>
    [Benchmark(OperationsPerInvoke = Receipts)]
    [BenchmarkCategory("app_store")]
    public int AppStoreFixedKeyEs256VerifyOnly()
    {
        var valid = 0;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        for (var i = 0; i < Receipts; i++)
        {
            SHA256.HashData(_appleInputs[i], hash);
            valid += _leafVerifier.Verify(hash, _appleSignatures[i]) ? 1 : 0;
        }

        return valid;
    }

    private static int VerifyAll(PurchaseCompleted[] purchases, FraudPolicy policy)
    {
        var valid = 0;
        foreach (var purchase in purchases)
        {
            valid += ReceiptVerifier.Verify(purchase, policy, EventTime).Count == 0 ? 1 : 0;
        }

        return valid;
    }

    /// <summary>A payload with the fields (and about the size) of a real App Store transaction.</summary>
    private static string ApplePayload(string transactionId, int i) => new JsonObject
    {
        ["transactionId"] = transactionId, ["originalTransactionId"] = transactionId, ["bundleId"] = "com.example.odin",
        ["productId"] = "gem_100", ["purchaseDate"] = 1762000000000 + i, ["originalPurchaseDate"] = 1762000000000 + i, ["quantity"] = 1,
        ["type"] = "Consumable", ["inAppOwnershipType"] = "PURCHASED", ["signedDate"] = 1762000000500 + i, ["environment"] = "Production",
        ["transactionReason"] = "PURCHASE", ["storefront"] = "KOR", ["storefrontId"] = "143466", ["price"] = 1200000, ["currency"] = "KRW",
        ["appTransactionId"] = "704458385447112345", ["appAccountToken"] = "7e3fb20b-4cdb-47cc-936d-99d65f608138",
    }.ToJsonString();

    private static PurchaseCompleted Purchase(string orderId, string store, JsonObject receipt)
    {
        using var document = JsonDocument.Parse(receipt.ToJsonString());
        return new PurchaseCompleted(orderId, store, "gem_100", 0.99m, "USD", "US", null, document.RootElement.Clone());
    }

    private static X509Certificate2 Certificate(string name, ECDsa key, X509Certificate2? issuer, bool ca, string? marker)
    {
        // SHA-384 throughout, as Apple's P-384 root and intermediate sign.
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, ca && issuer is not null, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(ca ? X509KeyUsageFlags.KeyCertSign : X509KeyUsageFlags.DigitalSignature, true));
        if (marker is not null)
        {
            request.CertificateExtensions.Add(new X509Extension(marker, [0x05, 0x00], false));
        }

        var notBefore = EventTime.AddYears(-1);
        if (issuer is null)
        {
            return request.CreateSelfSigned(notBefore, EventTime.AddYears(10));
        }

        using var issuerKey = issuer.GetECDsaPrivateKey()!;
        return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), notBefore, EventTime.AddYears(5), RandomNumberGenerator.GetBytes(8));
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
