using System.Text.Json.Serialization;

namespace GameSignals.Fraud;

/// <summary>What a flag asks of the platform: <c>block</c> the account's action, or put it up for <c>review</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FlagSeverity>))]
public enum FlagSeverity
{
    [JsonStringEnumMemberName("review")]
    Review,

    [JsonStringEnumMemberName("block")]
    Block,
}

/// <summary>The reason codes of contract §4 and their default severities.</summary>
public static class FraudReasons
{
    public const string BlockedRange = "ip.blocked_range";
    public const string BlockedAsn = "ip.blocked_asn";
    public const string CloudProvider = "ip.cloud_provider";
    public const string DeviceFarm = "device.farm";
    public const string CountryMismatch = "geo.country_mismatch";
    public const string ClientTampered = "client.tampered";
    public const string UnregisteredCurrency = "payment.unregistered_currency";
    public const string PriceMismatch = "payment.price_mismatch";
    public const string InvalidReceipt = "payment.invalid_receipt";
    public const string ReceiptReplay = "payment.receipt_replay";

    public static IReadOnlyDictionary<string, FlagSeverity> DefaultSeverities { get; } = new Dictionary<string, FlagSeverity>(StringComparer.Ordinal)
    {
        [BlockedRange] = FlagSeverity.Block,
        [BlockedAsn] = FlagSeverity.Block,
        [CloudProvider] = FlagSeverity.Block,
        [DeviceFarm] = FlagSeverity.Review,
        [CountryMismatch] = FlagSeverity.Review,
        [ClientTampered] = FlagSeverity.Block,
        [UnregisteredCurrency] = FlagSeverity.Block,
        [PriceMismatch] = FlagSeverity.Review,
        [InvalidReceipt] = FlagSeverity.Block,
        [ReceiptReplay] = FlagSeverity.Block,
    };
}

/// <summary>Store names of contract §2.</summary>
public static class Stores
{
    public const string GooglePlay = "google_play";
    public const string AppStore = "app_store";
    public const string Pc = "pc";
}
