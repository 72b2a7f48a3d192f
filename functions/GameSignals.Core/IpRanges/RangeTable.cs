using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace GameSignals.IpRanges;

/// <summary>
/// The immutable lookup structure built from all range sources. Lookups do not allocate: results are
/// objects created at build time, added to the caller's collection. Thread safe.
/// </summary>
public sealed class RangeTable : IIpIntelligence
{
    private readonly PrefixIndex<CloudRange> _cloud;
    private readonly PrefixIndex<BlocklistEntry> _blockedPrefixes;
    private readonly BlocklistEntry[] _blockedAsnEntries;
    private readonly FrozenDictionary<uint, BlocklistEntry[]> _blockedAsns;


    // ip2asn rows sorted by start; the AsnInfo of a row is made on its first lookup and kept (rows can be
    // hundreds of thousands, most never looked up).
    private readonly AsnRow[] _asnRows;
    private readonly UInt128[] _asnStarts;
    private readonly AsnInfo?[] _asnInfos;
    private string? _version;

    private RangeTable(RangeSources sources, string? version)
    {
        _cloud = new PrefixIndex<CloudRange>(sources.Cloud.Select(entry => (entry.Prefix, entry.Range)));
        _blockedPrefixes = new PrefixIndex<BlocklistEntry>(
            sources.Blocklist.Where(entry => entry.Cidr is not null).Select(entry => (IpPrefix.Parse(entry.Cidr!), entry)));
        _blockedAsnEntries = [.. sources.Blocklist.Where(entry => entry.Asn is not null)];
        _blockedAsns = _blockedAsnEntries.GroupBy(entry => entry.Asn!.Value).ToFrozenDictionary(group => group.Key, group => group.ToArray());
        _asnRows = [.. sources.Asn.OrderBy(row => row.Start)];
        _asnStarts = [.. _asnRows.Select(row => row.Start)];
        _asnInfos = new AsnInfo?[_asnRows.Length];
        _version = version;
    }

    public static RangeTable Empty { get; } = new(new RangeSources(), null);

    /// <summary>Builds the table. Blocklist CIDRs must be valid (see <see cref="BlocklistRules.Validate"/>).</summary>
    public static RangeTable Build(RangeSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return new RangeTable(sources, null);
    }

    internal static RangeTable Build(RangeSources sources, string version) => new(sources, version);

    /// <summary>The content hash (SHA-256, hex) of the table's snapshot: equal content, equal version.</summary>
    public string Version => _version ??= RangeSnapshot.Create(this).Version;

    public int CloudEntryCount => _cloud.Count;

    public int AsnRowCount => _asnRows.Length;

    public int BlocklistEntryCount => _blockedPrefixes.Count + _blockedAsnEntries.Length;

    public int CountCloudEntries(string provider) => _cloud.Entries().Count(entry => entry.Item.Provider == provider);

    /// <summary>The table's content in canonical order (what a snapshot holds).</summary>
    public RangeSources ToSources()
    {
        var sources = new RangeSources();
        sources.Cloud.AddRange(_cloud.Entries().Select(entry => new CloudEntry(entry.Prefix, entry.Item)));
        sources.Asn.AddRange(_asnRows);
        sources.Blocklist.AddRange(_blockedPrefixes.Entries().Select(entry => entry.Item));
        sources.Blocklist.AddRange(_blockedAsnEntries);
        return sources;
    }

    /// <summary>The ip2asn row containing the key, AS 0 included (it means "not routed").</summary>
    public bool TryGetAsnRow(UInt128 key, out AsnRow row)
    {
        var index = AsnRowIndex(key);
        row = index >= 0 ? _asnRows[index] : default;
        return index >= 0;
    }

    public bool TryGetAsn(UInt128 key, [MaybeNullWhen(false)] out AsnInfo asn)
    {
        var index = AsnRowIndex(key);
        if (index < 0 || _asnRows[index].Number == 0)
        {
            asn = null;
            return false;
        }

        asn = _asnInfos[index];
        if (asn is null)
        {
            var row = _asnRows[index];
            asn = new AsnInfo(row.Number, row.Name, row.Country, IpKey.ToText(row.Start), IpKey.ToText(row.End));
            _asnInfos[index] = asn; // a race makes two equal records; either is fine
        }

        return true;
    }

    public bool TryGetAsn(IPAddress address, [MaybeNullWhen(false)] out AsnInfo asn) => TryGetAsn(IpKey.From(address), out asn);

    public void GetCloudRanges(UInt128 key, ICollection<CloudRange> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        _cloud.Collect(key, matches);
    }

    public void GetCloudRanges(IPAddress address, ICollection<CloudRange> matches) => GetCloudRanges(IpKey.From(address), matches);

    public void GetBlocklistMatches(UInt128 key, DateTimeOffset at, ICollection<BlocklistEntry> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        _blockedPrefixes.Collect(key, matches, BlocklistRules.IsActive, at);
        var index = AsnRowIndex(key);
        if (index >= 0 && _blockedAsns.TryGetValue(_asnRows[index].Number, out var entries))
        {
            foreach (var entry in entries)
            {
                if (BlocklistRules.IsActive(entry, at))
                {
                    matches.Add(entry);
                }
            }
        }
    }

    public void GetBlocklistMatches(IPAddress address, DateTimeOffset at, ICollection<BlocklistEntry> matches) =>
        GetBlocklistMatches(IpKey.From(address), at, matches);

    private int AsnRowIndex(UInt128 key)
    {
        var index = IpKey.LastAtOrBefore(_asnStarts, key);
        return index >= 0 && _asnRows[index].End >= key ? index : -1;
    }
}
