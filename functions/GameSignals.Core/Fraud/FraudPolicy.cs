using System.Collections.Frozen;

namespace GameSignals.Fraud;

/// <summary>
/// One game's validated fraud settings, in the form the checks use. Immutable; built by <see cref="FraudConfigValidator"/>.
/// The receipt keys are parsed on the first receipt and kept for this version; whoever replaces the version (the
/// <see cref="FraudConfigCache"/>) disposes it, which frees them once the verifications in flight are done.
/// </summary>
public sealed class FraudPolicy : IDisposable
{
    private ReceiptKeys? _receiptKeys;
    private int _disposed;

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

    /// <summary>DER SubjectPublicKeyInfo of the Play licensing key.</summary>
    public ReadOnlyMemory<byte> GooglePlayPublicKey { get; init; }

    public string? AppStoreBundleId { get; init; }

    /// <summary>DER root certificates, each a CA.</summary>
    public IReadOnlyList<byte[]> AppStoreRoots { get; init; } = [];

    /// <summary>The <c>environment</c> a transaction must name: <c>Production</c> or <c>Sandbox</c>.</summary>
    public string AppStoreEnvironment { get; init; } = AppStoreEnvironments.Production;

    /// <summary>SHA-256 fingerprints (hex) of the roots under which Apple's chain rule applies.</summary>
    internal FrozenSet<string> AppleRoots { get; init; } = AppleChainRule.AppleRoots;

    public required FrozenDictionary<string, FlagSeverity> Severities { get; init; }

    public FlagSeverity SeverityOf(string reason) =>
        Severities.TryGetValue(reason, out var severity) ? severity : FlagSeverity.Review;

    /// <summary>
    /// Leased receipt keys of this version; the caller calls <see cref="ReceiptKeys.Release"/>. A version disposed
    /// while a verification of it starts gets keys parsed for that verification alone.
    /// </summary>
    internal ReceiptKeys AcquireReceiptKeys()
    {
        var keys = Volatile.Read(ref _receiptKeys);
        if (keys is null)
        {
            var made = new ReceiptKeys(GooglePlayPublicKey, AppStoreRoots, AppleRoots);
            keys = Interlocked.CompareExchange(ref _receiptKeys, made, null) ?? made;
            if (!ReferenceEquals(keys, made))
            {
                made.Dispose();
            }

            if (Volatile.Read(ref _disposed) != 0)
            {
                keys.Dispose();
            }
        }

        if (keys.TryAcquire())
        {
            return keys;
        }

        var own = new ReceiptKeys(GooglePlayPublicKey, AppStoreRoots, AppleRoots);
        own.TryAcquire();
        own.Dispose();
        return own;
    }

    /// <summary>Retires the parsed receipt keys; they are disposed when the last verification using them ends.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        Interlocked.CompareExchange(ref _receiptKeys, null, null)?.Dispose();
    }
}

/// <summary>The values of <c>appStore.environment</c> (contract §4, v1.1), spelled as Apple's payloads spell them.</summary>
public static class AppStoreEnvironments
{
    public const string Production = "Production";

    public const string Sandbox = "Sandbox";
}
