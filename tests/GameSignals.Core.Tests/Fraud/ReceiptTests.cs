using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using GameSignals.Fraud;

namespace GameSignals.Tests.Fraud;

/// <summary>Receipt verification with keys and certificates made here (the example's keys have no private half).</summary>
public sealed class ReceiptTests
{
    // Made once for the class: RSA key generation is slow. They live as long as the test process.
    private static readonly DateTimeOffset T0 = FraudHarness.T0;
    private static readonly RSA PlayKey = RSA.Create(2048);
    private static readonly RSA OtherPlayKey = RSA.Create(2048);
    private static readonly X509Certificate2 Root = CreateRoot("CN=Test Root", T0.AddYears(-1), T0.AddYears(5));
    private static readonly X509Certificate2 OtherRoot = CreateRoot("CN=Test Root", T0.AddYears(-1), T0.AddYears(5));
    private static readonly ECDsa SignerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    [Fact]
    public async Task A_google_play_receipt_signed_by_the_configured_key_is_valid()
    {
        var harness = await HarnessAsync();

        await harness.ProcessAsync(GooglePurchase(GoogleReceipt(PlayKey)));

        Assert.Empty(harness.Flags.All);
    }

    [Fact]
    public async Task A_google_play_receipt_signed_by_another_key_is_invalid()
    {
        var harness = await HarnessAsync();

        await harness.ProcessAsync(GooglePurchase(GoogleReceipt(OtherPlayKey)));

        Assert.Equal(["signature"], Checks(Assert.Single(harness.FlagsFor(FraudReasons.InvalidReceipt))));
    }

    [Fact]
    public async Task A_google_play_receipt_of_another_package_or_a_cancelled_purchase_is_invalid()
    {
        var harness = await HarnessAsync();

        await harness.ProcessAsync(
            GooglePurchase(GoogleReceipt(PlayKey, package: "com.example.other"), "p1"),
            GooglePurchase(GoogleReceipt(PlayKey, state: 1, orderId: "GPA.2"), "p2", orderId: "GPA.2"),
            GooglePurchase(GoogleReceipt(PlayKey, product: "gem_1000"), "p3", orderId: "GPA.3"));

        var flags = harness.FlagsFor(FraudReasons.InvalidReceipt).OrderBy(f => f.EventId).ToList();
        Assert.Equal(["packageName"], Checks(flags[0]));
        var failure = flags[0].Evidence.GetProperty("failures")[0];
        Assert.Equal(("com.example.odin", "com.example.other"), (failure.GetProperty("expected").GetString(), failure.GetProperty("seen").GetString()));
        Assert.Equal(["purchaseState"], Checks(flags[1]));
        Assert.Equal(["orderId", "productId"], Checks(flags[2]));
    }

    [Fact]
    public async Task An_app_store_transaction_signed_by_a_leaf_of_the_configured_root_is_valid()
    {
        var harness = await HarnessAsync();
        using var leaf = CreateLeaf(Root, T0.AddDays(-30), T0.AddDays(30));

        await harness.ProcessAsync(ApplePurchase(AppleReceipt(leaf, Root)));

        Assert.Empty(harness.Flags.All);
    }

    [Fact]
    public async Task An_app_store_transaction_whose_payload_was_changed_after_signing_is_invalid()
    {
        var harness = await HarnessAsync();
        using var leaf = CreateLeaf(Root, T0.AddDays(-30), T0.AddDays(30));
        var jws = AppleReceipt(leaf, Root, product: "gem_1000").Split('.');
        var forged = jws[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(ApplePayload("gem_100", "com.example.odin"))) + "." + jws[2];

        await harness.ProcessAsync(ApplePurchase(forged));

        Assert.Equal(["signature"], Checks(Assert.Single(harness.Flags.All)));
    }

    [Fact]
    public async Task An_app_store_transaction_of_another_bundle_is_invalid()
    {
        var harness = await HarnessAsync();
        using var leaf = CreateLeaf(Root, T0.AddDays(-30), T0.AddDays(30));

        await harness.ProcessAsync(ApplePurchase(AppleReceipt(leaf, Root, bundle: "com.example.other")));

        Assert.Equal(["bundleId"], Checks(Assert.Single(harness.Flags.All)));
    }

    [Fact]
    public async Task An_app_store_chain_to_a_root_that_is_not_configured_is_invalid_even_when_it_brings_the_root()
    {
        var harness = await HarnessAsync();
        using var leaf = CreateLeaf(OtherRoot, T0.AddDays(-30), T0.AddDays(30));

        await harness.ProcessAsync(ApplePurchase(AppleReceipt(leaf, OtherRoot)));

        var flag = Assert.Single(harness.Flags.All);
        Assert.Equal(["certificateChain"], Checks(flag));
    }

    [Fact]
    public async Task An_app_store_leaf_expired_at_the_event_time_is_invalid_though_valid_earlier()
    {
        var harness = await HarnessAsync();
        using var leaf = CreateLeaf(Root, T0.AddDays(-30), T0.AddDays(30));
        var receipt = AppleReceipt(leaf, Root);

        await harness.ProcessAsync(ApplePurchase(receipt, "p1", time: T0.AddDays(29)), ApplePurchase(receipt, "p2", "2", time: T0.AddDays(31)));

        var flag = Assert.Single(harness.FlagsFor(FraudReasons.InvalidReceipt));
        Assert.Equal("p2", flag.EventId);
        Assert.Equal(["certificateChain", "transactionId"], Checks(flag));
    }

    [Fact]
    public async Task A_missing_or_malformed_receipt_is_invalid_and_a_pc_purchase_needs_none()
    {
        var harness = await HarnessAsync();

        await harness.ProcessAsync(
            FraudHarness.Purchase("p1", "u1", "GPA.1", store: "google_play"),
            ApplePurchase("not.a-jws", "p2"),
            FraudHarness.Purchase("p3", "u3", "pc-1"));

        var flags = harness.FlagsFor(FraudReasons.InvalidReceipt).OrderBy(f => f.EventId).ToList();
        Assert.Equal(["p1", "p2"], flags.Select(f => f.EventId).ToList());
        Assert.Equal(["receipt"], Checks(flags[0]));
        Assert.NotEmpty(Checks(flags[1]));
    }

    private static async Task<FraudHarness> HarnessAsync() => await FraudHarness.CreateAsync(game =>
    {
        game["googlePlay"]!["publicKey"] = Convert.ToBase64String(PlayKey.ExportSubjectPublicKeyInfo());
        game["appStore"]!["rootCertificates"] = new JsonArray(Convert.ToBase64String(Root.RawData));
    });

    private static List<string> Checks(FraudFlag flag) =>
        [.. flag.Evidence.GetProperty("failures").EnumerateArray().Select(f => f.GetProperty("check").GetString()!).Order()];

    private static Events.GameEvent GooglePurchase(string receipt, string id = "p1", string orderId = "GPA.1") =>
        FraudHarness.Purchase(id, "u1", orderId, store: "google_play", receiptJson: receipt);

    private static Events.GameEvent ApplePurchase(string jws, string id = "p1", string orderId = "1", DateTimeOffset? time = null) =>
        FraudHarness.Purchase(id, "u1", orderId, store: "app_store", time: time, receiptJson: new JsonObject { ["signedTransaction"] = jws }.ToJsonString());

    private static string GoogleReceipt(RSA key, string orderId = "GPA.1", string package = "com.example.odin", string product = "gem_100", int state = 0)
    {
        var purchaseData = $$"""{"orderId":"{{orderId}}","packageName":"{{package}}","productId":"{{product}}","purchaseTime":1762000000000,"purchaseState":{{state}},"purchaseToken":"tok"}""";
        var signature = key.SignData(Encoding.UTF8.GetBytes(purchaseData), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        return new JsonObject { ["purchaseData"] = purchaseData, ["signature"] = Convert.ToBase64String(signature) }.ToJsonString();
    }

    private static string AppleReceipt(X509Certificate2 leaf, X509Certificate2 root, string product = "gem_100", string bundle = "com.example.odin")
    {
        var header = new JsonObject { ["alg"] = "ES256", ["x5c"] = new JsonArray(Convert.ToBase64String(leaf.RawData), Convert.ToBase64String(root.RawData)) };
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "."
            + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(ApplePayload(product, bundle)));
        var signature = SignerKey.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    private static string ApplePayload(string product, string bundle) =>
        new JsonObject { ["transactionId"] = "1", ["productId"] = product, ["bundleId"] = bundle, ["purchaseDate"] = 1762000000000, ["environment"] = "Production" }.ToJsonString();

    private static X509Certificate2 CreateRoot(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    private static X509Certificate2 CreateLeaf(X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest("CN=Test Signer", SignerKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        return request.Create(issuer, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
    }
}
