using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Runtime.CompilerServices;

namespace GameSignals.IpRanges;

/// <summary>
/// The immutable lookup structure built from all range sources. Lookups do not allocate: results are
/// objects created at build time, added to the caller's collection (an ASN interval's <see cref="AsnInfo"/> is made on
/// its first lookup and kept). Thread safe.
/// </summary>
public sealed class RangeTable : IIpIntelligence
{
    private readonly CoveringPrefixes<CloudRange> _cloud;
    private readonly CoveringPrefixes<BlocklistEntry> _blockedPrefixes;
    private readonly BlocklistEntry[] _blockedAsnEntries;
    private readonly BlocklistEntry[][] _blockedAsGroups; // entries by AS number; group 0 is empty
    private readonly RangeIntervals _intervals;

    // ip2asn rows by start (equal starts in source order), stored compactly: row r is IPv6 when r < _ipv6RowsBefore
    // (bounds in _ipv6RowBounds[2r..]), then IPv4 with 32-bit bounds, then IPv6 again.
    private readonly int _ipv6RowsBefore;
    private readonly uint[] _ipv4RowBounds;
    private readonly UInt128[] _ipv6RowBounds;
    private readonly int[] _rowAs; // index into _ases: an AS has many rows
    private readonly (uint Number, string Name, string? Country)[] _ases;
    private string? _version;

    private RangeTable(RangeSources sources, string? version)
    {
        _cloud = new CoveringPrefixes<CloudRange>(sources.Cloud.Select(entry => (entry.Prefix, entry.Range)));
        _blockedPrefixes = new CoveringPrefixes<BlocklistEntry>(
            sources.Blocklist.Where(entry => entry.Cidr is not null).Select(entry => (IpPrefix.Parse(entry.Cidr!), entry)));
        _blockedAsnEntries = [.. sources.Blocklist.Where(entry => entry.Asn is not null)];
        _blockedAsGroups = [[], .. _blockedAsnEntries.GroupBy(entry => entry.Asn!.Value).Select(group => group.ToArray())];
        var blockedAsGroup = Enumerable.Range(1, _blockedAsGroups.Length - 1).ToDictionary(group => _blockedAsGroups[group][0].Asn!.Value);

        var rows = SortedRows(sources.Asn);
        int[] rowBlockedAs = [.. rows.Select(row => blockedAsGroup.GetValueOrDefault(row.Number))];
        bool[] routed = [.. rows.Select(row => row.Number != 0)];
        _intervals = new RangeIntervals(rows, routed, _cloud, _blockedPrefixes, rowBlockedAs);
        _ipv6RowsBefore = rows.Count(row => !IpKey.IsIPv4(row.Start) && row.Start < IpKey.FromIPv4(0));
        var ipv4Rows = rows.Count(row => IpKey.IsIPv4(row.Start));
        _ipv4RowBounds = new uint[2 * ipv4Rows];
        _ipv6RowBounds = new UInt128[2 * (rows.Length - ipv4Rows)];
        for (int row = 0, ipv4 = 0, ipv6 = 0; row < rows.Length; row++)
        {
            if (IpKey.IsIPv4(rows[row].Start))
            {
                _ipv4RowBounds[ipv4++] = (uint)rows[row].Start;
                _ipv4RowBounds[ipv4++] = (uint)rows[row].End;
            }
            else
            {
                _ipv6RowBounds[ipv6++] = rows[row].Start;
                _ipv6RowBounds[ipv6++] = rows[row].End;
            }
        }

        var ases = new Dictionary<(uint, string, string?), int>();
        _rowAs = [.. rows.Select(row => ases.TryGetValue((row.Number, row.Name, row.Country), out var index) ? index : ases[(row.Number, row.Name, row.Country)] = ases.Count)];
        _ases = [.. ases.OrderBy(pair => pair.Value).Select(pair => pair.Key)];
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

    public int AsnRowCount => _rowAs.Length;

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
        _intervals.AsnAt(key, out var index, out _);
        row = index >= 0 ? Row(index) : default;
        return index >= 0;
    }

    public bool TryGetAsn(UInt128 key, [MaybeNullWhen(false)] out AsnInfo asn)
    {
        ref var kept = ref _intervals.AsnAt(key, out var index, out var routed);
        asn = kept;
        if (asn is null & routed) // one branch, not taken once the record is made
        {
            asn = MakeInfo(index, ref kept);
        }

        return asn is not null;
    }

    /// <summary>Makes and keeps a row's record: apart, so the lookup's frame stays small.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private AsnInfo MakeInfo(int index, ref AsnInfo? kept)
    {
        var row = Row(index);
        return kept = new AsnInfo(row.Number, row.Name, row.Country, IpKey.ToText(row.Start), IpKey.ToText(row.End));
    }

    public bool TryGetAsn(IPAddress address, [MaybeNullWhen(false)] out AsnInfo asn) => TryGetAsn(IpKey.From(address), out asn);

    public void GetCloudRanges(UInt128 key, ICollection<CloudRange> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        _cloud.Collect(_intervals.CoveringAt(key).Cloud, matches);
    }

    public void GetCloudRanges(IPAddress address, ICollection<CloudRange> matches) => GetCloudRanges(IpKey.From(address), matches);

    public void GetBlocklistMatches(UInt128 key, DateTimeOffset at, ICollection<BlocklistEntry> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        if (_intervals.MayBeBlocked(key))
        {
            CollectBlocklistMatches(key, at, matches);
        }
    }

    /// <summary>The blocklist matches of a key that may have some: apart, so the check for most keys stays small enough to inline.</summary>
    private void CollectBlocklistMatches(UInt128 key, DateTimeOffset at, ICollection<BlocklistEntry> matches)
    {
        var sets = _intervals.CoveringAt(key);
        _blockedPrefixes.Collect(sets.Blocked, matches, BlocklistRules.IsActive, at);
        foreach (var entry in _blockedAsGroups[sets.BlockedAs])
        {
            if (BlocklistRules.IsActive(entry, at))
            {
                matches.Add(entry);
            }
        }
    }

    public void GetBlocklistMatches(IPAddress address, DateTimeOffset at, ICollection<BlocklistEntry> matches) =>
        GetBlocklistMatches(IpKey.From(address), at, matches);

    private AsnRow Row(int index)
    {
        var ipv4 = index - _ipv6RowsBefore;
        var ipv4Rows = _ipv4RowBounds.Length / 2;
        var ipv6 = ipv4 < 0 ? index : index - ipv4Rows;
        var (start, end) = ipv4 >= 0 && ipv4 < ipv4Rows
            ? (IpKey.FromIPv4(_ipv4RowBounds[2 * ipv4]), IpKey.FromIPv4(_ipv4RowBounds[2 * ipv4 + 1]))
            : (_ipv6RowBounds[2 * ipv6], _ipv6RowBounds[2 * ipv6 + 1]);
        var (number, name, country) = _ases[_rowAs[index]];
        return new AsnRow(start, end, number, name, country);
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
