using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using GameSignals.Events;

namespace GameSignals.Fraud;

/// <summary>One failed receipt check: what was checked, and the expected and seen values where there are such.</summary>
public sealed record ReceiptFailure(string Check, string? Expected, string? Seen);

/// <summary>Verifies store receipts as contract §2 describes; the result lists every check that failed.</summary>
public static class ReceiptVerifier
{
    /// <summary>The failed checks of the purchase's receipt (empty when valid; always empty for <c>pc</c>).</summary>
    public static IReadOnlyList<ReceiptFailure> Verify(PurchaseCompleted purchase, FraudPolicy policy, DateTimeOffset eventTime)
    {
        ArgumentNullException.ThrowIfNull(purchase);
        ArgumentNullException.ThrowIfNull(policy);
        var failures = new List<ReceiptFailure>();
        switch (purchase.Store)
        {
            case Stores.Pc:
                break;
            case Stores.GooglePlay:
                VerifyGooglePlay(purchase, policy, failures);
                break;
            case Stores.AppStore:
                VerifyAppStore(purchase, policy, eventTime, failures);
                break;
            default:
                failures.Add(new ReceiptFailure("store", "google_play, app_store or pc", purchase.Store));
                break;
        }

        return failures;
    }

    private static void VerifyGooglePlay(PurchaseCompleted purchase, FraudPolicy policy, List<ReceiptFailure> failures)
    {
        if (Text(purchase.Receipt, "purchaseData") is not { } purchaseData || Text(purchase.Receipt, "signature") is not { } signatureText)
        {
            failures.Add(new ReceiptFailure("receipt", "purchaseData and signature", null));
            return;
        }

        var data = Encoding.UTF8.GetBytes(purchaseData);
        if (policy.GooglePlayPublicKey.IsEmpty)
        {
            failures.Add(new ReceiptFailure("publicKey", "a configured Google Play key", null));
        }
        else if (!TryFromBase64(signatureText, out var signature) || !VerifyRsaSha1(policy.GooglePlayPublicKey.Span, data, signature))
        {
            failures.Add(new ReceiptFailure("signature", "RSASSA-PKCS1-v1_5 SHA-1 by the configured key", "does not verify"));
        }

        using var document = TryParse(data, "purchaseData", failures);
        if (document is null)
        {
            return;
        }

        var root = document.RootElement;
        Compare("orderId", purchase.OrderId, Text(root, "orderId"), failures);
        Compare("productId", purchase.ProductId, Text(root, "productId"), failures);
        Compare("packageName", policy.GooglePlayPackageName, Text(root, "packageName"), failures);
        var state = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("purchaseState", out var s) ? s.GetRawText() : null;
        if (state != "0")
        {
            failures.Add(new ReceiptFailure("purchaseState", "0", state));
        }
    }

    private static bool VerifyRsaSha1(ReadOnlySpan<byte> publicKey, byte[] data, byte[] signature)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKey, out _);
        return rsa.VerifyData(data, signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
    }

    private static void VerifyAppStore(PurchaseCompleted purchase, FraudPolicy policy, DateTimeOffset eventTime, List<ReceiptFailure> failures)
    {
        var parts = Text(purchase.Receipt, "signedTransaction")?.Split('.');
        if (parts is not { Length: 3 })
        {
            failures.Add(new ReceiptFailure("signedTransaction", "a JWS in compact serialization", null));
            return;
        }

        using var header = TryParse(FromBase64Url(parts[0]), "header", failures);
        using var payload = TryParse(FromBase64Url(parts[1]), "payload", failures);
        if (header is null || payload is null)
        {
            return;
        }

        var alg = Text(header.RootElement, "alg");
        if (alg != "ES256")
        {
            failures.Add(new ReceiptFailure("alg", "ES256", alg));
        }

        var chain = LoadX5c(header.RootElement, failures);
        try
        {
            if (chain.Count > 0 && BuildsToConfiguredRoot(chain, policy, eventTime, failures))
            {
                var signature = FromBase64Url(parts[2]);
                using var key = chain[0].GetECDsaPublicKey();
                var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
                if (key is null || signature is not { Length: 64 }
                    || !key.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                {
                    failures.Add(new ReceiptFailure("signature", "ES256 by the leaf certificate's key", "does not verify"));
                }
            }
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }

        var root = payload.RootElement;
        Compare("transactionId", purchase.OrderId, Text(root, "transactionId"), failures);
        Compare("productId", purchase.ProductId, Text(root, "productId"), failures);
        Compare("bundleId", policy.AppStoreBundleId, Text(root, "bundleId"), failures);
    }

    private static List<X509Certificate2> LoadX5c(JsonElement header, List<ReceiptFailure> failures)
    {
        var certificates = new List<X509Certificate2>();
        if (!header.TryGetProperty("x5c", out var x5c) || x5c.ValueKind != JsonValueKind.Array || x5c.GetArrayLength() == 0)
        {
            failures.Add(new ReceiptFailure("x5c", "a certificate chain in the header", null));
            return certificates;
        }

        try
        {
            foreach (var item in x5c.EnumerateArray())
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(item.GetString() ?? "")));
            }
        }
        catch (Exception e) when (e is FormatException or CryptographicException or InvalidOperationException)
        {
            failures.Add(new ReceiptFailure("x5c", "base64 DER certificates", e.Message));
            foreach (var loaded in certificates)
            {
                loaded.Dispose();
            }

            certificates.Clear();
        }

        return certificates;
    }

    /// <summary>Builds the x5c chain trusting only the game's roots, at the event's time, without revocation or downloads.</summary>
    private static bool BuildsToConfiguredRoot(List<X509Certificate2> x5c, FraudPolicy policy, DateTimeOffset eventTime, List<ReceiptFailure> failures)
    {
        using var chain = new X509Chain();
        var roots = policy.AppStoreRoots.Select(X509CertificateLoader.LoadCertificate).ToList();
        try
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots.ToArray());
            chain.ChainPolicy.ExtraStore.AddRange(x5c.Skip(1).ToArray());
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.ChainPolicy.VerificationTime = eventTime.UtcDateTime;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            if (roots.Count > 0 && chain.Build(x5c[0]))
            {
                return true;
            }

            var statuses = chain.ChainStatus.Select(s => s.Status.ToString()).Distinct();
            failures.Add(new ReceiptFailure("certificateChain", $"a chain to a configured root, valid at {eventTime:O}", string.Join(", ", statuses)));
            return false;
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }

            foreach (var root in roots)
            {
                root.Dispose();
            }
        }
    }

    private static void Compare(string check, string? expected, string? seen, List<ReceiptFailure> failures)
    {
        if (expected is null || !string.Equals(expected, seen, StringComparison.Ordinal))
        {
            failures.Add(new ReceiptFailure(check, expected, seen));
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static JsonDocument? TryParse(byte[]? utf8, string part, List<ReceiptFailure> failures)
    {
        try
        {
            return JsonDocument.Parse(utf8 ?? throw new JsonException("not base64url"));
        }
        catch (JsonException)
        {
            failures.Add(new ReceiptFailure(part, "JSON", "unreadable"));
            return null;
        }
    }

    private static bool TryFromBase64(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    private static byte[]? FromBase64Url(string text)
    {
        try
        {
            return Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
