using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GameSignals.Fraud;

/// <summary>
/// What one fraud-configuration version's receipt checks parse once: the Google Play RSA key, the App Store trust
/// roots, and the x5c chains already found to build to them (keyed by the exact JWS header, with the time span in
/// which every certificate of the chain is valid, so a cached chain is still judged at each event's time).
/// Leases count the verifications in flight; once the version is disposed the last lease frees everything, so no
/// key or certificate is disposed under a reader.
/// </summary>
internal sealed class ReceiptKeys : IDisposable
{
    /// <summary>Distinct chains kept per version; only chains that verified get in, and Apple rotates leaves yearly.</summary>
    private const int MaxVerifiedChains = 64;

    private const int Retired = 1 << 30;

    private readonly KeyPool<RSA>? _googlePlay;
    private readonly X509Certificate2[] _roots;
    private readonly FrozenSet<string> _appleRoots;
    private readonly ConcurrentDictionary<byte[], VerifiedChain> _chains = new(ByteArrayComparer.Instance);
    private readonly ConcurrentDictionary<byte[], VerifiedChain>.AlternateLookup<ReadOnlySpan<byte>> _chainsBySpan;
    private int _state;

    public ReceiptKeys(ReadOnlyMemory<byte> googlePlayKey, IReadOnlyList<byte[]> appStoreRoots, FrozenSet<string> appleRoots)
    {
        if (!googlePlayKey.IsEmpty)
        {
            _googlePlay = new KeyPool<RSA>(() =>
            {
                var rsa = RSA.Create();
                rsa.ImportSubjectPublicKeyInfo(googlePlayKey.Span, out _);
                return rsa;
            });
        }

        _roots = [.. appStoreRoots.Select(X509CertificateLoader.LoadCertificate)];
        _appleRoots = appleRoots;
        _chainsBySpan = _chains.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public bool HasGooglePlayKey => _googlePlay is not null;

    /// <summary>A lease on these keys, or false once they are retired.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if ((state & Retired) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, state + 1, state) == state)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _state) == Retired)
        {
            DisposeKeys();
        }
    }

    /// <summary>Retires the keys: no new leases; they are freed now, or when the last lease is released.</summary>
    public void Dispose()
    {
        if (Interlocked.Or(ref _state, Retired) == 0)
        {
            DisposeKeys();
        }
    }

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-1 by the configured Play key (the contract's Google Play receipt signature).</summary>
    public bool VerifyGooglePlay(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var rsa = _googlePlay!.Rent();
        try
        {
            return rsa.VerifyData(data, signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        }
        finally
        {
            _googlePlay.Return(rsa);
        }
    }

    /// <summary>The cached chain of exactly this JWS header when all its certificates are valid at <paramref name="utc"/>.</summary>
    public VerifiedChain? FindChain(ReadOnlySpan<byte> header, DateTime utc) =>
        _chainsBySpan.TryGetValue(header, out var chain) && chain.IsValidAt(utc) ? chain : null;

    /// <summary>
    /// Builds <paramref name="x5c"/> to the configured roots at <paramref name="utc"/>, without revocation or downloads, and
    /// applies Apple's rule when it ends at an Apple root. On success the chain is cached under <paramref name="header"/>
    /// when <paramref name="cacheable"/>; <paramref name="owned"/> then says whether the caller must dispose it.
    /// </summary>
    public VerifiedChain? BuildChain(
        IReadOnlyList<X509Certificate2> x5c, DateTime utc, ReadOnlySpan<byte> header, bool cacheable, List<ReceiptFailure> failures, out bool owned)
    {
        owned = false;
        using var chain = new X509Chain();
        try
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
            for (var i = 1; i < x5c.Count; i++)
            {
                chain.ChainPolicy.ExtraStore.Add(x5c[i]);
            }

            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.ChainPolicy.VerificationTime = utc;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            if (_roots.Length == 0 || !chain.Build(x5c[0]))
            {
                var statuses = chain.ChainStatus.Select(s => s.Status.ToString()).Distinct();
                failures.Add(new ReceiptFailure("certificateChain", $"a chain to a configured root, valid at {utc:O}", string.Join(", ", statuses)));
                return null;
            }

            var elements = chain.ChainElements;
            if (AppleChainRule.IsAppleRoot(elements[^1].Certificate, _appleRoots) && AppleChainRule.Violation(x5c, elements) is { } violation)
            {
                failures.Add(new ReceiptFailure("certificateChain", "leaf, intermediate, Apple Root CA - G3 with Apple's marker OIDs", violation, violation));
                return null;
            }

            var verified = new VerifiedChain(
                x5c[0], elements.Max(e => e.Certificate.NotBefore.ToUniversalTime()), elements.Min(e => e.Certificate.NotAfter.ToUniversalTime()));
            if (cacheable && _chains.Count < MaxVerifiedChains && _chains.TryAdd(header.ToArray(), verified))
            {
                return verified;
            }

            owned = true;
            return verified;
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }

    private void DisposeKeys()
    {
        _googlePlay?.Dispose();
        foreach (var root in _roots)
        {
            root.Dispose();
        }

        foreach (var chain in _chains.Values)
        {
            chain.Dispose();
        }

        _chains.Clear();
    }

    /// <summary>Byte arrays compared by content, also against spans, so a lookup needs no copy of the header.</summary>
    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            // HashCode is seeded per process, so crafted headers cannot pile into one bucket.
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}

/// <summary>
/// An x5c chain that built to a configured root: its leaf's key, and when all of its certificates are valid. A P-256
/// leaf (Apple's) verifies with the <see cref="P256FixedKeyVerifier"/> of its key (about 0.85 MB of tables and 10 ms
/// to build, once per key in the process); a leaf on another curve with pooled platform keys.
/// </summary>
internal sealed class VerifiedChain : IDisposable
{
    private readonly P256FixedKeyVerifier? _p256;
    private readonly KeyPool<ECDsa>? _leafKeys;
    private readonly DateTime _notBefore;
    private readonly DateTime _notAfter;

    public VerifiedChain(X509Certificate2 leaf, DateTime notBefore, DateTime notAfter)
    {
        using var probe = leaf.GetECDsaPublicKey();
        if (probe is not null)
        {
            _p256 = P256FixedKeyVerifier.Shared(probe);
            if (_p256 is null)
            {
                var spki = leaf.PublicKey.ExportSubjectPublicKeyInfo();
                _leafKeys = new KeyPool<ECDsa>(() =>
                {
                    var key = ECDsa.Create();
                    key.ImportSubjectPublicKeyInfo(spki, out _);
                    return key;
                });
            }
        }

        _notBefore = notBefore;
        _notAfter = notAfter;
    }

    /// <summary>Strictly inside every certificate's validity; the bounds themselves are left to a full chain build.</summary>
    public bool IsValidAt(DateTime utc) => _notBefore < utc && utc < _notAfter;

    /// <summary>ES256 (64-byte R||S, RFC 7518 §3.4) by the leaf's key; false when the leaf has no EC key.</summary>
    public bool VerifyEs256(ReadOnlySpan<byte> signedInput, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 64)
        {
            return false;
        }

        if (_p256 is not null)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(signedInput, hash);
            return _p256.Verify(hash, signature);
        }

        if (_leafKeys is null)
        {
            return false;
        }

        var key = _leafKeys.Rent();
        try
        {
            return key.VerifyData(signedInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        finally
        {
            _leafKeys.Return(key);
        }
    }

    public void Dispose() => _leafKeys?.Dispose();
}

/// <summary>
/// Instances of one public key, each used by one verification at a time: .NET documents no thread safety for the
/// instance members of <see cref="RSA"/> and <see cref="ECDsa"/>, and importing the key per receipt is what was slow.
/// </summary>
internal sealed class KeyPool<T>(Func<T> create) : IDisposable
    where T : AsymmetricAlgorithm
{
    private readonly ConcurrentBag<T> _idle = [];

    public T Rent() => _idle.TryTake(out var key) ? key : create();

    public void Return(T key) => _idle.Add(key);

    public void Dispose()
    {
        while (_idle.TryTake(out var key))
        {
            key.Dispose();
        }
    }
}
