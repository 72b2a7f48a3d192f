using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GameSignals.Fraud;
using static GameSignals.Tests.Fraud.ReceiptPki;

namespace GameSignals.Tests.Fraud;

/// <summary>
/// The receipt rules of contract v1.1 (environment, Apple's G3 chain rule, CA-only roots, Google test purchases) and
/// the parsed keys kept per configuration version, on <see cref="ReceiptVerifier"/> with certificates made here and
/// Apple's real public root, intermediate and receipt-signing certificates.
/// </summary>
public sealed class ReceiptRuleTests
{
    private static readonly DateTimeOffset T0 = FraudHarness.T0;
    private static readonly ECDsa Signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly X509Certificate2 TestRoot = Root();
    private static readonly X509Certificate2 TestIntermediate = Intermediate(TestRoot, appleMarker: true);
    private static readonly X509Certificate2 AppleRoot = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(AppleCertificates.RootG3));

    [Fact]
    public void A_google_play_purchase_without_an_orderId_is_a_test_purchase_though_Google_signed_it()
    {
        using var policy = Policy([Base64(TestRoot)]);

        var withoutOrderInEvent = ReceiptVerifier.Verify(GooglePurchase(DefaultPlayKey, PurchaseData(orderId: null), orderId: null), policy, T0);
        var withOrderInEvent = ReceiptVerifier.Verify(GooglePurchase(DefaultPlayKey, PurchaseData(orderId: null), orderId: "GPA.1"), policy, T0);
        var real = ReceiptVerifier.Verify(GooglePurchase(DefaultPlayKey, PurchaseData()), policy, T0);

        foreach (var failures in new[] { withoutOrderInEvent, withOrderInEvent })
        {
            var failure = Assert.Single(failures);
            Assert.Equal(("orderId", ReceiptVerifier.TestPurchase), (failure.Check, failure.Detail));
        }

        Assert.Empty(real);
    }

    [Fact]
    public void A_google_play_receipt_verifies_over_the_unescaped_text_whatever_the_JSON_escapes_and_every_time()
    {
        using var policy = Policy([Base64(TestRoot)]);
        var escaped = GooglePurchase(DefaultPlayKey, PurchaseData(), escapeSlashes: true);

        Assert.Empty(ReceiptVerifier.Verify(escaped, policy, T0));
        Assert.Empty(ReceiptVerifier.Verify(escaped, policy, T0));
        Assert.Equal(["packageName"], Checks(ReceiptVerifier.Verify(GooglePurchase(DefaultPlayKey, PurchaseData(package: "com.other")), policy, T0)));
    }

    [Fact]
    public void A_sandbox_transaction_is_invalid_under_the_default_Production_environment_with_a_clear_detail()
    {
        using var policy = Policy([Base64(TestRoot)], environment: null);
        using var leaf = Leaf(TestRoot, Signer, T0.AddDays(-30), T0.AddDays(30));

        var failures = ReceiptVerifier.Verify(ApplePurchase(AppleJws(Signer, [Base64(leaf), Base64(TestRoot)], environment: "Sandbox")), policy, T0);

        var failure = Assert.Single(failures);
        Assert.Equal(("environment", "Production", "Sandbox"), (failure.Check, failure.Expected, failure.Seen));
        Assert.Contains("made in Sandbox", failure.Detail, StringComparison.Ordinal);
        Assert.Empty(ReceiptVerifier.Verify(ApplePurchase(AppleJws(Signer, [Base64(leaf), Base64(TestRoot)])), policy, T0));
    }

    [Theory]
    [InlineData("Sandbox", "Sandbox", true)]
    [InlineData("Sandbox", "Production", false)]
    [InlineData("Production", "Production", true)]
    [InlineData("Production", "LocalTesting", false)]
    [InlineData("Production", "Xcode", false)]
    [InlineData("Production", null, false)]
    public void The_payload_environment_must_equal_the_configured_one(string configured, string? payload, bool valid)
    {
        using var policy = Policy([Base64(TestRoot)], environment: configured);
        using var leaf = Leaf(TestRoot, Signer, T0.AddDays(-30), T0.AddDays(30));

        var failures = ReceiptVerifier.Verify(ApplePurchase(AppleJws(Signer, [Base64(leaf), Base64(TestRoot)], environment: payload)), policy, T0);

        Assert.Equal(valid ? [] : ["environment"], Checks(failures));
    }

    [Theory]
    [InlineData("production")]
    [InlineData("LocalTesting")]
    [InlineData("Xcode")]
    [InlineData("")]
    public void An_environment_other_than_Production_or_Sandbox_is_refused_with_its_field(string environment)
    {
        var problem = Assert.Single(FraudConfigValidator.Validate("odin", Config([Base64(TestRoot)], environment)));

        Assert.Equal("appStore.environment", problem.Field);
        Assert.Contains($"'{environment}'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, X509KeyUsageFlags.KeyCertSign, "not a CA")]
    [InlineData(null, X509KeyUsageFlags.KeyCertSign, "no basic constraints")]
    [InlineData(true, X509KeyUsageFlags.DigitalSignature, "without keyCertSign")]
    public void A_root_that_cannot_sign_certificates_is_refused_when_saved_and_loaded_with_the_reason(bool? ca, X509KeyUsageFlags usage, string reason)
    {
        using var notACa = Root("CN=StoreKit Testing in Xcode", usage, ca);
        var config = Config([Base64(TestRoot), Base64(notACa)]);

        var problem = Assert.Single(FraudConfigValidator.Validate("odin", config));
        var loaded = Assert.Throws<FraudConfigException>(() => FraudConfigLoader.Load(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new FraudConfigDocument { Games = { ["odin"] = config } })));

        Assert.Equal("appStore.rootCertificates[1]", problem.Field);
        Assert.Contains("cannot sign certificates", problem.Message, StringComparison.Ordinal);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
        Assert.Equal("games.odin.appStore.rootCertificates[1]", Assert.Single(loaded.Problems).Field);
    }

    /// <summary>Apple's rule, with a root made here standing in for Apple Root CA - G3 (no one has Apple's keys).</summary>
    [Theory]
    [InlineData(true, true, true, true, new string[0])]
    [InlineData(false, true, true, true, new[] { "certificateChain" })]
    [InlineData(true, false, true, true, new[] { "certificateChain" })]
    [InlineData(true, true, false, true, new[] { "certificateChain" })]
    [InlineData(false, false, false, false, new string[0])]
    public void Under_the_Apple_root_the_chain_must_be_leaf_intermediate_root_with_both_marker_OIDs(
        bool leafMarker, bool intermediateMarker, bool rootInX5c, bool rootIsApple, string[] expected)
    {
        using var intermediate = Intermediate(TestRoot, intermediateMarker);
        using var leaf = Leaf(intermediate, Signer, T0.AddDays(-30), T0.AddDays(30), leafMarker);
        using var policy = Policy([Base64(TestRoot)], appleRoots: rootIsApple ? [TestRoot] : []);
        List<string> x5c = rootInX5c ? [Base64(leaf), Base64(intermediate), Base64(TestRoot)] : [Base64(leaf), Base64(intermediate)];

        var failures = ReceiptVerifier.Verify(ApplePurchase(AppleJws(Signer, x5c)), policy, T0);

        Assert.Equal(expected, Checks(failures));
        Assert.All(failures, f => Assert.Contains("Apple", f.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public void Under_the_Apple_root_an_x5c_with_a_certificate_more_than_the_chain_breaks_the_rule()
    {
        using var leaf = Leaf(TestIntermediate, Signer, T0.AddDays(-30), T0.AddDays(30), appleMarker: true);
        using var policy = Policy([Base64(TestRoot)], appleRoots: [TestRoot]);

        var failures = ReceiptVerifier.Verify(
            ApplePurchase(AppleJws(Signer, [Base64(leaf), Base64(TestIntermediate), Base64(TestRoot), Base64(TestRoot)])), policy, T0);

        Assert.Contains("x5c has 4", Assert.Single(failures).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Apple_Root_CA_G3_is_known_by_its_published_fingerprint_not_by_its_name()
    {
        using var impostor = Root("CN=Apple Root CA - G3, OU=Apple Certification Authority, O=Apple Inc., C=US");

        Assert.True(AppleChainRule.IsAppleRoot(AppleRoot, AppleChainRule.AppleRoots));
        Assert.False(AppleChainRule.IsAppleRoot(impostor, AppleChainRule.AppleRoots));
    }

    [Fact]
    public void A_self_made_root_named_Apple_Root_CA_G3_keeps_the_old_rule()
    {
        using var impostor = Root("CN=Apple Root CA - G3, OU=Apple Certification Authority, O=Apple Inc., C=US");
        using var leaf = Leaf(impostor, Signer, T0.AddDays(-30), T0.AddDays(30));
        using var policy = Policy([Base64(impostor)]);

        Assert.Empty(ReceiptVerifier.Verify(ApplePurchase(AppleJws(Signer, [Base64(leaf)])), policy, T0));
    }

    [Fact]
    public void Apple_s_real_chain_keeps_the_G3_rule_so_a_transaction_forged_on_it_fails_on_the_signature_alone()
    {
        using var policy = Policy([AppleCertificates.RootG3]);
        var whileValid = new DateTimeOffset(2023, 4, 12, 15, 20, 46, TimeSpan.Zero);

        var full = ReceiptVerifier.Verify(
            ApplePurchase(AppleJws(Signer, [AppleCertificates.ReceiptSigning2021, AppleCertificates.WwdrG6, AppleCertificates.RootG3])), policy, whileValid);
        var withoutRoot = ReceiptVerifier.Verify(
            ApplePurchase(AppleJws(Signer, [AppleCertificates.ReceiptSigning2021, AppleCertificates.WwdrG6])), policy, whileValid);

        Assert.Equal(["signature"], Checks(full));
        Assert.Contains("x5c has 2", Assert.Single(withoutRoot).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Apple_s_real_chain_once_cached_is_still_judged_at_each_event_time()
    {
        using var policy = Policy([AppleCertificates.RootG3]);
        var purchase = ApplePurchase(AppleJws(Signer, [AppleCertificates.ReceiptSigning2021, AppleCertificates.WwdrG6, AppleCertificates.RootG3]));

        var before = ReceiptVerifier.Verify(purchase, policy, new DateTimeOffset(2023, 4, 12, 0, 0, 0, TimeSpan.Zero));
        var afterLeafExpiry = ReceiptVerifier.Verify(purchase, policy, new DateTimeOffset(2023, 9, 25, 0, 0, 0, TimeSpan.Zero));
        var beforeLeafIssued = ReceiptVerifier.Verify(purchase, policy, new DateTimeOffset(2021, 8, 1, 0, 0, 0, TimeSpan.Zero));
        var again = ReceiptVerifier.Verify(purchase, policy, new DateTimeOffset(2023, 4, 13, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(["signature"], Checks(before));
        Assert.Equal(["certificateChain"], Checks(afterLeafExpiry));
        Assert.Equal(["certificateChain"], Checks(beforeLeafIssued));
        Assert.Equal(["signature"], Checks(again));
    }

    [Fact]
    public void A_chain_seen_before_is_still_judged_at_each_event_time_and_its_signature_checked_each_time()
    {
        using var policy = Policy([Base64(TestRoot)]);
        using var leaf = Leaf(TestRoot, Signer, T0.AddDays(-30), T0.AddDays(30));
        var x5c = new[] { Base64(leaf), Base64(TestRoot) };
        var jws = AppleJws(Signer, x5c);
        var tampered = AppleJws(Signer, x5c, transactionId: "2").Split('.');
        var forged = string.Join('.', jws.Split('.')[0], tampered[1], jws.Split('.')[2]);

        Assert.Empty(ReceiptVerifier.Verify(ApplePurchase(jws), policy, T0));
        Assert.Equal(["certificateChain"], Checks(ReceiptVerifier.Verify(ApplePurchase(jws), policy, T0.AddDays(31))));
        Assert.Equal(["certificateChain"], Checks(ReceiptVerifier.Verify(ApplePurchase(jws), policy, T0.AddDays(-31))));
        Assert.Empty(ReceiptVerifier.Verify(ApplePurchase(jws), policy, T0.AddDays(29)));
        Assert.Equal(["signature"], Checks(ReceiptVerifier.Verify(ApplePurchase(forged, orderId: "2"), policy, T0)));
    }

    [Fact]
    public void A_version_disposed_while_receipts_of_it_are_verified_gives_the_same_verdicts()
    {
        var policy = Policy([Base64(TestRoot)]);
        using var leaf = Leaf(TestRoot, Signer, T0.AddDays(-30), T0.AddDays(30));
        var apple = ApplePurchase(AppleJws(Signer, [Base64(leaf), Base64(TestRoot)]));
        var google = GooglePurchase(DefaultPlayKey, PurchaseData());
        var verdicts = new int[400];

        Parallel.For(0, verdicts.Length, i =>
        {
            if (i == verdicts.Length / 2)
            {
                policy.Dispose();
            }

            verdicts[i] = ReceiptVerifier.Verify(i % 2 == 0 ? apple : google, policy, T0).Count;
        });

        Assert.All(verdicts, count => Assert.Equal(0, count));
        Assert.Empty(ReceiptVerifier.Verify(apple, policy, T0));
    }
}
