using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace GameSignals.IpRanges;

/// <summary>
/// What is known about an address: its ASN row (ip2asn), the cloud-provider ranges containing it,
/// and the blocklist entries matching it by CIDR or ASN. Implemented by the current range snapshot;
/// the fraud checks and the <c>GET /api/ip/{address}</c> lookup both read through it.
/// </summary>
public interface IIpIntelligence
{
    /// <summary>The ip2asn row containing the address; false when none does or its AS is 0 (not routed).</summary>
    bool TryGetAsn(IPAddress address, [MaybeNullWhen(false)] out AsnInfo asn);

    /// <summary>Adds every cloud-provider entry whose prefix contains the address (nested prefixes all count).</summary>
    void GetCloudRanges(IPAddress address, ICollection<CloudRange> matches);

    /// <summary>Adds every blocklist entry matching the address by CIDR, or by the address's ASN, in force now.</summary>
    /// <remarks>Expiry is judged at <paramref name="at"/>: the event's time, so a replay gives the same answer as the live run.</remarks>
    void GetBlocklistMatches(IPAddress address, DateTimeOffset at, ICollection<BlocklistEntry> matches);
}

/// <summary>An autonomous system. <see cref="Country"/> is the ISO 3166-1 alpha-2 code, or null when the data has none.</summary>
public sealed record AsnInfo(uint Number, string Name, string? Country, string RangeStart, string RangeEnd);

/// <summary>A published cloud range: provider (<c>aws</c>, <c>azure</c>, <c>gcp</c>), service, region and prefix.</summary>
public sealed record CloudRange(string Provider, string Service, string Region, string Prefix);

/// <summary>
/// A blocklist entry: exactly one of <see cref="Cidr"/> and <see cref="Asn"/> is set. <see cref="Id"/> names it in
/// the blocklist store; entries from <c>blocklist.json</c> may have none.
/// </summary>
public sealed record BlocklistEntry(string? Cidr, uint? Asn, string Reason, DateTimeOffset? Expires = null, string? AddedBy = null, string? Id = null);
