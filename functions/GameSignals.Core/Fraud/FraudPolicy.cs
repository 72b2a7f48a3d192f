using System.Collections.Frozen;

namespace GameSignals.Fraud;

/// <summary>One game's validated fraud settings, in the form the checks use. Immutable; built by <see cref="FraudConfigValidator"/>.</summary>
public sealed class FraudPolicy
{
    public required string GameId { get; init; }

    public required bool BlockCloudProviders { get; init; }

    public required int MaxDevicesPerIp { get; init; }

    public required TimeSpan DeviceFarmWindow { get; init; }

    /// <summary>Store to registered currency codes.</summary>
    public required FrozenDictionary<string, FrozenSet<string>> Currencies { get; init; }

    /// <summary>Product id to currency to price.</summary>
    public required FrozenDictionary<string, FrozenDictionary<string, decimal>> Catalog { get; init; }

    /// <summary>Platform to allowed client signatures (hex, compared without case).</summary>
    public required FrozenDictionary<string, FrozenSet<string>> ClientSignatures { get; init; }

    public string? GooglePlayPackageName { get; init; }

    /// <summary>DER SubjectPublicKeyInfo of the Play licensing key; a key object is made per verification (they are not thread-safe).</summary>
    public ReadOnlyMemory<byte> GooglePlayPublicKey { get; init; }

    public string? AppStoreBundleId { get; init; }

    /// <summary>DER root certificates; loaded per verification so no shared certificate is ever disposed under a reader.</summary>
    public IReadOnlyList<byte[]> AppStoreRoots { get; init; } = [];

    public required FrozenDictionary<string, FlagSeverity> Severities { get; init; }

    public FlagSeverity SeverityOf(string reason) =>
        Severities.TryGetValue(reason, out var severity) ? severity : FlagSeverity.Review;
}
