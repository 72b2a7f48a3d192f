using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GameSignals.Fraud;

/// <summary>
/// The shape Apple's App Store Server Library demands of a chain that builds to Apple Root CA - G3 (contract §2, v1.1):
/// exactly leaf, intermediate, root, with Apple's receipt-signing marker on the leaf and its WWDR marker on the
/// intermediate. Without it any EC certificate Apple issued under G3 could sign a transaction we accept.
/// </summary>
internal static class AppleChainRule
{
    /// <summary>SHA-256 fingerprint of Apple Root CA - G3 as Apple publishes it (apple.com/certificateauthority).</summary>
    public const string RootG3Sha256 = "63343ABFB89A6A03EBB57E9B3F5FA7BE7C4F5C756F3017B3A8C488C3653E9179";

    public const string LeafMarkerOid = "1.2.840.113635.100.6.11.1";

    public const string IntermediateMarkerOid = "1.2.840.113635.100.6.2.1";

    /// <summary>The roots under which the rule applies; tests name a root of their own through the validator's internal overload.</summary>
    public static readonly FrozenSet<string> AppleRoots = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, RootG3Sha256);

    public static bool IsAppleRoot(X509Certificate2 root, FrozenSet<string> appleRoots) =>
        appleRoots.Contains(Convert.ToHexString(root.GetCertHash(HashAlgorithmName.SHA256)));

    /// <summary>Why a chain built to an Apple root breaks the rule, or null when it keeps it.</summary>
    public static string? Violation(IReadOnlyList<X509Certificate2> x5c, X509ChainElementCollection built)
    {
        if (x5c.Count != 3)
        {
            return $"x5c has {x5c.Count} certificate(s); under Apple Root CA - G3 it must be exactly leaf, intermediate, root";
        }

        if (built.Count != 3 || !SameCertificate(built[1].Certificate, x5c[1]) || !SameCertificate(built[2].Certificate, x5c[2]))
        {
            return "x5c is not the chain it builds (leaf, intermediate, root) to Apple Root CA - G3";
        }

        if (x5c[0].Extensions[LeafMarkerOid] is null)
        {
            return $"the leaf lacks Apple's receipt-signing marker OID {LeafMarkerOid}";
        }

        return x5c[1].Extensions[IntermediateMarkerOid] is null
            ? $"the intermediate lacks Apple's WWDR marker OID {IntermediateMarkerOid}"
            : null;
    }

    private static bool SameCertificate(X509Certificate2 a, X509Certificate2 b) => a.RawDataMemory.Span.SequenceEqual(b.RawDataMemory.Span);
}
