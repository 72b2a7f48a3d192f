using System.Text.Json;
using System.Text.Json.Serialization;
using GameSignals.IpRanges;

namespace GameSignals.Admin.IpRanges;

/// <summary>The body of <c>PUT /api/blocklist/{id}</c>: exactly one of <c>cidr</c> and <c>asn</c>, a reason, an optional expiry.</summary>
public sealed record BlocklistEntryRequest(string? Cidr, uint? Asn, string? Reason, DateTimeOffset? Expires);

/// <summary>A blocklist entry as the admin API shows it (<see cref="Id"/> is null for entries from <c>blocklist.json</c>).</summary>
public sealed record BlocklistEntryResponse(string? Id, string? Cidr, uint? Asn, string Reason, DateTimeOffset? Expires, string? AddedBy)
{
    public static BlocklistEntryResponse From(BlocklistEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Id, entry.Cidr, entry.Asn, entry.Reason, entry.Expires, entry.AddedBy);
    }
}

public sealed record BlocklistListResponse(IReadOnlyList<BlocklistEntryResponse> Entries);

/// <summary>Everything known about an address, from the snapshot <see cref="SnapshotVersion"/> (null before the first publish).</summary>
public sealed record IpLookupResponse(
    string Address, string? SnapshotVersion, AsnInfo? Asn, IReadOnlyList<CloudRange> CloudRanges, IReadOnlyList<BlocklistEntryResponse> Blocklist);

public sealed record RefusedSourceResponse(string Source, string Reason, string Detail);

/// <summary>A refresh's outcome: <c>published</c>, <c>unchanged</c>, <c>refused</c> or <c>conflict</c>, and the version then current or new.</summary>
public sealed record RefreshResponse(string Outcome, string? Version, IReadOnlyList<RefusedSourceResponse> Refused);

/// <summary>
/// Request bodies are strict: an unknown property (a misspelt <c>cidr</c>) or a number in a string is a 400,
/// not silently dropped or converted.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BlocklistEntryRequest))]
[JsonSerializable(typeof(BlocklistEntryResponse))]
[JsonSerializable(typeof(BlocklistListResponse))]
[JsonSerializable(typeof(IpLookupResponse))]
[JsonSerializable(typeof(RefreshResponse))]
internal sealed partial class IpRangesJson : JsonSerializerContext;
