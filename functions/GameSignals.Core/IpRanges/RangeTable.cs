using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace GameSignals.IpRanges;

/// <summary>
/// The immutable lookup structure built from all range sources. Lookups do not allocate: results are
/// objects created at build time, added to the caller's collection (an ASN row's <see cref="AsnInfo"/> is made on
/// its first lookup and kept). Thread safe.
/// </summary>
public sealed class RangeTable : IIpIntelligence
{
    private static readonly UInt128 IPv4Last = IpKey.FromIPv4(uint.MaxValue);

    private readonly CoveringPrefixes<CloudRange> _cloud;
    private readonly CoveringPrefixes<BlocklistEntry> _blockedPrefixes;
    private readonly BlocklistEntry[] _blockedAsnEntries;
    private readonly FrozenDictionary<uint, BlocklistEntry[]> _blockedAsns;

    // ip2asn rows in one order by start (equal starts in source order); the row of an address is the last one starting
    // at or before it, if it ends at or after it. Row r is stored compactly by family: the IPv6 rows ordered before the
    // IPv4 ones are r < _ipv6RowsBefore, then the IPv4 rows with 32-bit bounds, then the remaining IPv6 rows.
    private readonly int _ipv6RowsBefore;
    private readonly SortedStarts<uint> _ipv4RowStarts;
    private readonly uint[] _ipv4RowEnds;
    private readonly SortedStarts<UInt128> _ipv6RowStarts;
    private readonly UInt128[] _ipv6RowEnds;
    private readonly uint[] _asnNumbers;
    private readonly int[] _asnNames; // index into _names: names and countries repeat across rows
    private readonly (string Name, string? Country)[] _names;

    // The AsnInfo of a row is made on its first lookup and kept (rows are a million, most never looked up).
    private readonly AsnInfo?[] _asnInfos;
    private string? _version;

    private RangeTable(RangeSources sources, string? version)
    {
        _cloud = new CoveringPrefixes<CloudRange>(sources.Cloud.Select(entry => (entry.Prefix, entry.Range)));
        _blockedPrefixes = new CoveringPrefixes<BlocklistEntry>(
            sources.Blocklist.Where(entry => entry.Cidr is not null).Select(entry => (IpPrefix.Parse(entry.Cidr!), entry)));
        _blockedAsnEntries = [.. sources.Blocklist.Where(entry => entry.Asn is not null)];
        _blockedAsns = _blockedAsnEntries.GroupBy(entry => entry.Asn!.Value).ToFrozenDictionary(group => group.Key, group => group.ToArray());

        var rows = SortedRows(sources.Asn);
        var ipv4 = rows.Where(row => IpKey.IsIPv4(row.Start)).ToArray();
        var ipv6 = rows.Where(row => !IpKey.IsIPv4(row.Start)).ToArray();
        _ipv6RowsBefore = ipv6.Count(row => row.Start < IPv4Last);
        _ipv4RowStarts = new SortedStarts<uint>([.. ipv4.Select(row => (uint)row.Start)]);
        _ipv4RowEnds = [.. ipv4.Select(row => (uint)row.End)];
        _ipv6RowStarts = new SortedStarts<UInt128>([.. ipv6.Select(row => row.Start)]);
        _ipv6RowEnds = [.. ipv6.Select(row => row.End)];
        _asnNumbers = [.. rows.Select(row => row.Number)];
        var names = new Dictionary<(string, string?), int>();
        _asnNames = [.. rows.Select(row => names.TryGetValue((row.Name, row.Country), out var index) ? index : names[(row.Name, row.Country)] = names.Count)];
        _names = [.. names.OrderBy(pair => pair.Value).Select(pair => pair.Key)];
        _asnInfos = new AsnInfo?[rows.Length];
        _version = version;
    }

    public static RangeTable Empty { get; } = new(new RangeSources(), null);

    /// <summary>Builds the table. Blocklist CIDRs must be valid (see <see cref="BlocklistRules.Validate"/>).</summary>
    /// <exception cref="ArgumentException">An ASN row ends before it starts or its ends are of two address families.</exception>
    public static RangeTable Build(RangeSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return new RangeTable(sources, null);
    }

    internal static RangeTable Build(RangeSources sources, string version) => new(sources, version);

    /// <summary>The content hash (SHA-256, hex) of the table's snapshot: equal content, equal version.</summary>
    public string Version => _version ??= RangeSnapshot.Create(this).Version;

    public int CloudEntryCount => _cloud.Count;

    public int AsnRowCount => _asnNumbers.Length;

    public int BlocklistEntryCount => _blockedPrefixes.Count + _blockedAsnEntries.Length;

    public int CountCloudEntries(string provider) => _cloud.Entries().Count(entry => entry.Item.Provider == provider);

    /// <summary>The table's content in canonical order (what a snapshot holds).</summary>
    public RangeSources ToSources()
    {
        var sources = new RangeSources();
        sources.Cloud.AddRange(_cloud.Entries().Select(entry => new CloudEntry(entry.Prefix, entry.Item)));
        sources.Asn.AddRange(Enumerable.Range(0, AsnRowCount).Select(Row));
        sources.Blocklist.AddRange(_blockedPrefixes.Entries().Select(entry => entry.Item));
        sources.Blocklist.AddRange(_blockedAsnEntries);
        return sources;
    }

    /// <summary>The ip2asn row containing the key, AS 0 included (it means "not routed").</summary>
    public bool TryGetAsnRow(UInt128 key, out AsnRow row)
    {
        var index = AsnRowIndex(key);
        row = index >= 0 ? Row(index) : default;
        return index >= 0;
    }

    public bool TryGetAsn(UInt128 key, [MaybeNullWhen(false)] out AsnInfo asn)
    {
        var index = AsnRowIndex(key);
        if (index < 0 || _asnNumbers[index] == 0)
        {
            asn = null;
            return false;
        }

        asn = _asnInfos[index];
        if (asn is null)
        {
            var row = Row(index);
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
        if (index >= 0 && _blockedAsns.Count > 0 && _blockedAsns.TryGetValue(_asnNumbers[index], out var entries))
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
        var ipv4Rows = _ipv4RowEnds.Length;
        if (IpKey.IsIPv4(key))
        {
            var ipv4 = _ipv4RowStarts.LastAtOrBefore((uint)key);
            if (ipv4 >= 0)
            {
                return _ipv4RowEnds[ipv4] >= (uint)key ? _ipv6RowsBefore + ipv4 : -1;
            }

            // No IPv4 row starts at or before the address: the last IPv6 row before them may span it.
            return _ipv6RowsBefore > 0 && _ipv6RowEnds[_ipv6RowsBefore - 1] >= key ? _ipv6RowsBefore - 1 : -1;
        }

        var ipv6 = _ipv6RowStarts.LastAtOrBefore(key);
        if (ipv6 < 0 || _ipv6RowEnds[ipv6] < key)
        {
            return -1;
        }

        if (ipv6 < _ipv6RowsBefore)
        {
            // After the IPv4 block, the last row starting before the address is an IPv4 one, which ended before it.
            return key > IPv4Last && ipv4Rows > 0 ? -1 : ipv6;
        }

        return ipv6 + ipv4Rows;
    }

    private AsnRow Row(int index)
    {
        var ipv4 = index - _ipv6RowsBefore;
        var ipv6 = ipv4 < 0 ? index : index - _ipv4RowEnds.Length;
        var (start, end) = ipv4 >= 0 && ipv4 < _ipv4RowEnds.Length
            ? (IpKey.FromIPv4(_ipv4RowStarts[ipv4]), IpKey.FromIPv4(_ipv4RowEnds[ipv4]))
            : (_ipv6RowStarts[ipv6], _ipv6RowEnds[ipv6]);
        var (name, country) = _names[_asnNames[index]];
        return new AsnRow(start, end, _asnNumbers[index], name, country);
    }

    /// <summary>The rows by start, equal starts in source order (ip2asn files come sorted: then no sort).</summary>
    private static AsnRow[] SortedRows(List<AsnRow> rows)
    {
        foreach (var row in rows)
        {
            if (row.Start > row.End || IpKey.IsIPv4(row.Start) != IpKey.IsIPv4(row.End))
            {
                throw new ArgumentException($"The ASN row {IpKey.ToText(row.Start)}-{IpKey.ToText(row.End)} ends before it starts or spans two address families.", nameof(rows));
            }
        }

        var sorted = rows.ToArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Start < sorted[i - 1].Start)
            {
                return [.. rows.OrderBy(row => row.Start)];
            }
        }

        return sorted;
    }
}
