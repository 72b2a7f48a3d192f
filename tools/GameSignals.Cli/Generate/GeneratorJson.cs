using System.Text.Json.Serialization;

namespace GameSignals.Cli.Generate;

internal sealed record GooglePurchase(string OrderId, string PackageName, string ProductId, long PurchaseTime, int PurchaseState, string PurchaseToken);

internal sealed record GoogleReceipt(string PurchaseData, string Signature);

internal sealed record AppStoreTransaction(string TransactionId, string OriginalTransactionId, string BundleId, string ProductId, long PurchaseDate, int Quantity, string Type, string Environment);

internal sealed record AppStoreReceiptJson(string SignedTransaction);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(GooglePurchase))]
[JsonSerializable(typeof(GoogleReceipt))]
[JsonSerializable(typeof(AppStoreTransaction))]
[JsonSerializable(typeof(AppStoreReceiptJson))]
internal sealed partial class GeneratorJsonContext : JsonSerializerContext;
