using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using GameSignals.Events;

namespace GameSignals.Fraud;

/// <summary>
/// One failed receipt check: what was checked, the expected and seen values where there are such, and a sentence
/// for the operator where the values alone do not tell why.
/// </summary>
public sealed record ReceiptFailure(string Check, string? Expected, string? Seen, string? Detail = null);

/// <summary>
/// Verifies store receipts as contract §2 describes; the result lists every check that failed. Keys, roots and
/// verified chains come parsed from the policy's <see cref="ReceiptKeys"/>; a receipt's own bytes are read from the
/// event's JSON in place or in pooled buffers.
/// </summary>
public static class ReceiptVerifier
{
    /// <summary>Large enough for an RSA-8192 signature.</summary>
    private const int MaxSignatureBytes = 1024;

    public const string TestPurchase = "test purchase";

    /// <summary>The failed checks of the purchase's receipt (empty when valid; always empty for <c>pc</c>).</summary>
    public static IReadOnlyList<ReceiptFailure> Verify(PurchaseCompleted purchase, FraudPolicy policy, DateTimeOffset eventTime)
    {
        ArgumentNullException.ThrowIfNull(purchase);
        ArgumentNullException.ThrowIfNull(policy);
        var failures = new List<ReceiptFailure>();
        if (purchase.Store is Stores.Pc)
        {
            return failures;
        }

        if (purchase.Store is not (Stores.GooglePlay or Stores.AppStore))
        {
            failures.Add(new ReceiptFailure("store", "google_play, app_store or pc", purchase.Store));
            return failures;
        }

        var keys = policy.AcquireReceiptKeys();
        try
        {
            if (purchase.Store == Stores.GooglePlay)
            {
                VerifyGooglePlay(purchase, policy, keys, failures);
            }
            else
            {
                VerifyAppStore(purchase, policy, keys, eventTime.UtcDateTime, failures);
            }
        }
        finally
        {
            keys.Release();
        }

        return failures;
    }

    private static void VerifyGooglePlay(PurchaseCompleted purchase, FraudPolicy policy, ReceiptKeys keys, List<ReceiptFailure> failures)
    {
        if (StringValue(purchase.Receipt, "purchaseData") is not { } purchaseDataValue || StringValue(purchase.Receipt, "signature") is not { } signatureValue)
        {
            failures.Add(new ReceiptFailure("receipt", "purchaseData and signature", null));
            return;
        }

        byte[]? dataBuffer = null;
        byte[]? signatureTextBuffer = null;
        try
        {
            var data = Utf8Text(purchaseDataValue, ref dataBuffer);
            Span<byte> signature = stackalloc byte[MaxSignatureBytes];
            if (!keys.HasGooglePlayKey)
            {
                failures.Add(new ReceiptFailure("publicKey", "a configured Google Play key", null));
            }
            else if (Base64.DecodeFromUtf8(Utf8Text(signatureValue, ref signatureTextBuffer), signature, out _, out var length) != OperationStatus.Done
                || !keys.VerifyGooglePlay(data, signature[..length]))
            {
                failures.Add(new ReceiptFailure("signature", "RSASSA-PKCS1-v1_5 SHA-1 by the configured key", "does not verify"));
            }

            CheckPurchaseData(data, purchase, policy, failures);
        }
        finally
        {
            Return(dataBuffer);
            Return(signatureTextBuffer);
        }
    }

    private static void CheckPurchaseData(ReadOnlySpan<byte> data, PurchaseCompleted purchase, FraudPolicy policy, List<ReceiptFailure> failures)
    {
        SeenText orderId = default, productId = default, packageName = default;
        string? state = null;
        try
        {
            var reader = new Utf8JsonReader(data);
            if (ReadObject(ref reader))
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("orderId"u8))
                    {
                        orderId = SeenText.Read(ref reader, purchase.OrderId);
                    }
                    else if (reader.ValueTextEquals("productId"u8))
                    {
                        productId = SeenText.Read(ref reader, purchase.ProductId);
                    }
                    else if (reader.ValueTextEquals("packageName"u8))
                    {
                        packageName = SeenText.Read(ref reader, policy.GooglePlayPackageName);
                    }
                    else if (reader.ValueTextEquals("purchaseState"u8))
                    {
                        state = RawValue(ref reader, data);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }

            EnsureEnd(ref reader);
        }
        catch (JsonException)
        {
            failures.Add(new ReceiptFailure("purchaseData", "JSON", "unreadable"));
            return;
        }

        if (orderId.IsEmpty)
        {
            // Google issues license-test purchases without an orderId: they cost nothing (contract §2, v1.1).
            failures.Add(new ReceiptFailure("orderId", purchase.OrderId, null, TestPurchase));
        }
        else
        {
            orderId.Compare("orderId", purchase.OrderId, failures);
        }

        productId.Compare("productId", purchase.ProductId, failures);
        packageName.Compare("packageName", policy.GooglePlayPackageName, failures);
        if (state != "0")
        {
            failures.Add(new ReceiptFailure("purchaseState", "0", state));
        }
    }

    private static void VerifyAppStore(PurchaseCompleted purchase, FraudPolicy policy, ReceiptKeys keys, DateTime utc, List<ReceiptFailure> failures)
    {
        if (StringValue(purchase.Receipt, "signedTransaction") is not { } value)
        {
            failures.Add(new ReceiptFailure("signedTransaction", "a JWS in compact serialization", null));
            return;
        }

        byte[]? jwsBuffer = null;
        byte[]? payloadBuffer = null;
        try
        {
            var jws = Utf8Text(value, ref jwsBuffer);
            var firstDot = jws.IndexOf((byte)'.');
            var secondDot = firstDot < 0 ? -1 : jws[(firstDot + 1)..].IndexOf((byte)'.') + firstDot + 1;
            if (firstDot < 0 || secondDot <= firstDot || jws[(secondDot + 1)..].Contains((byte)'.'))
            {
                failures.Add(new ReceiptFailure("signedTransaction", "a JWS in compact serialization", null));
                return;
            }

            var header = jws[..firstDot];
            var chain = keys.FindChain(header, utc);
            var owned = false;
            JsonDocument? headerDocument = null;
            try
            {
                if (chain is null && (headerDocument = ParseHeader(header, failures)) is null)
                {
                    ReadPayload(jws[(firstDot + 1)..secondDot], purchase, policy, ref payloadBuffer, out _, failures);
                    return;
                }

                if (!ReadPayload(jws[(firstDot + 1)..secondDot], purchase, policy, ref payloadBuffer, out var payload, failures))
                {
                    return;
                }

                if (chain is null)
                {
                    chain = ResolveChain(headerDocument!.RootElement, header, keys, utc, failures, out owned);
                }

                Span<byte> signature = stackalloc byte[96];
                if (chain is not null
                    && (Base64Url.DecodeFromUtf8(jws[(secondDot + 1)..], signature, out _, out var length) != OperationStatus.Done
                        || !chain.VerifyEs256(jws[..secondDot], signature[..length])))
                {
                    failures.Add(new ReceiptFailure("signature", "ES256 by the leaf certificate's key", "does not verify"));
                }

                CheckTransaction(payload, purchase, policy, failures);
            }
            finally
            {
                headerDocument?.Dispose();
                if (owned)
                {
                    chain!.Dispose();
                }
            }
        }
        finally
        {
            Return(jwsBuffer);
            Return(payloadBuffer);
        }
    }

    /// <summary>The slow path of a header not seen (or not valid at this time) before: alg, x5c, and the chain build.</summary>
    private static VerifiedChain? ResolveChain(
        JsonElement header, ReadOnlySpan<byte> headerSegment, ReceiptKeys keys, DateTime utc, List<ReceiptFailure> failures, out bool owned)
    {
        owned = false;
        var alg = header.ValueKind == JsonValueKind.Object && header.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (alg != "ES256")
        {
            failures.Add(new ReceiptFailure("alg", "ES256", alg));
        }

        var x5c = LoadX5c(header, failures);
        try
        {
            return x5c.Count == 0 ? null : keys.BuildChain(x5c, utc, headerSegment, cacheable: alg == "ES256", failures, out owned);
        }
        finally
        {
            foreach (var certificate in x5c)
            {
                certificate.Dispose();
            }
        }
    }

    private static void CheckTransaction(TransactionFields payload, PurchaseCompleted purchase, FraudPolicy policy, List<ReceiptFailure> failures)
    {
        payload.TransactionId.Compare("transactionId", purchase.OrderId, failures);
        payload.ProductId.Compare("productId", purchase.ProductId, failures);
        payload.BundleId.Compare("bundleId", policy.AppStoreBundleId, failures);
        if (!payload.Environment.Matches)
        {
            var seen = payload.Environment.Text;
            failures.Add(new ReceiptFailure("environment", policy.AppStoreEnvironment, seen,
                $"the transaction was made in {seen ?? "no environment"}, the game accepts {policy.AppStoreEnvironment} only (appStore.environment)"));
        }
    }

    private static JsonDocument? ParseHeader(ReadOnlySpan<byte> segment, List<ReceiptFailure> failures)
    {
        try
        {
            return JsonDocument.Parse(Base64Url.DecodeFromUtf8(segment));
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            failures.Add(new ReceiptFailure("header", "JSON", "unreadable"));
            return null;
        }
    }

    private static bool ReadPayload(
        ReadOnlySpan<byte> segment, PurchaseCompleted purchase, FraudPolicy policy, ref byte[]? buffer, out TransactionFields fields, List<ReceiptFailure> failures)
    {
        fields = default;
        buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(segment.Length));
        try
        {
            if (Base64Url.DecodeFromUtf8(segment, buffer, out _, out var length) != OperationStatus.Done)
            {
                throw new JsonException("not base64url");
            }

            var reader = new Utf8JsonReader(buffer.AsSpan(0, length));
            if (ReadObject(ref reader))
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("transactionId"u8))
                    {
                        fields.TransactionId = SeenText.Read(ref reader, purchase.OrderId);
                    }
                    else if (reader.ValueTextEquals("productId"u8))
                    {
                        fields.ProductId = SeenText.Read(ref reader, purchase.ProductId);
                    }
                    else if (reader.ValueTextEquals("bundleId"u8))
                    {
                        fields.BundleId = SeenText.Read(ref reader, policy.AppStoreBundleId);
                    }
                    else if (reader.ValueTextEquals("environment"u8))
                    {
                        fields.Environment = SeenText.Read(ref reader, policy.AppStoreEnvironment);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }

            EnsureEnd(ref reader);
            return true;
        }
        catch (JsonException)
        {
            failures.Add(new ReceiptFailure("payload", "JSON", "unreadable"));
            return false;
        }
    }

    private static List<X509Certificate2> LoadX5c(JsonElement header, List<ReceiptFailure> failures)
    {
        var certificates = new List<X509Certificate2>();
        if (header.ValueKind != JsonValueKind.Object || !header.TryGetProperty("x5c", out var x5c) || x5c.ValueKind != JsonValueKind.Array || x5c.GetArrayLength() == 0)
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

    /// <summary>Reads the first token; true when it starts an object (anything else is skipped, its fields count as missing).</summary>
    private static bool ReadObject(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("empty");
        }

        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>Nothing but whitespace may follow the value (the reader throws on a second value).</summary>
    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("more than one value");
        }
    }

    /// <summary>The value's JSON text as written (as <see cref="JsonElement.GetRawText"/> gives it).</summary>
    private static string RawValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]);
    }

    private static JsonElement? StringValue(JsonElement receipt, string name) =>
        receipt.ValueKind == JsonValueKind.Object && receipt.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value : null;

    /// <summary>The UTF-8 text of a JSON string, in place, or unescaped into a pooled buffer when the JSON escapes it.</summary>
    private static ReadOnlySpan<byte> Utf8Text(JsonElement value, ref byte[]? buffer)
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(value));
        reader.Read();
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        buffer = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        return buffer.AsSpan(0, reader.CopyString(buffer));
    }

    private static void Return(byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The fields of an App Store transaction payload the contract compares.</summary>
    private struct TransactionFields
    {
        public SeenText TransactionId;
        public SeenText ProductId;
        public SeenText BundleId;
        public SeenText Environment;
    }

    /// <summary>
    /// One string field of signed JSON, compared with its expected value as it is read: the text is only made into a
    /// string when it differs (for the failure's evidence).
    /// </summary>
    private struct SeenText
    {
        public bool Matches;
        public string? Text;
        private bool _present;

        /// <summary>Missing, null or empty.</summary>
        public readonly bool IsEmpty => !_present || Text is "";

        public static SeenText Read(ref Utf8JsonReader reader, string? expected)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                return default;
            }

            var matches = expected is not null && reader.ValueTextEquals(expected);
            return new SeenText { _present = true, Matches = matches, Text = matches ? expected : reader.GetString() };
        }

        public readonly void Compare(string check, string? expected, List<ReceiptFailure> failures)
        {
            if (expected is null || !(Matches || string.Equals(Text, expected, StringComparison.Ordinal)))
            {
                failures.Add(new ReceiptFailure(check, expected, Text));
            }
        }
    }
}
