namespace GameSignals.IpRanges;

/// <summary>One published cloud prefix and what it is (provider, service, region).</summary>
public readonly record struct CloudEntry(IpPrefix Prefix, CloudRange Range);

/// <summary>One ip2asn row: an inclusive key range and its AS (0 = not routed); country null when unknown.</summary>
public readonly record struct AsnRow(UInt128 Start, UInt128 End, uint Number, string Name, string? Country);

/// <summary>The parsed content of all range sources: what a <see cref="RangeTable"/> is built from.</summary>
public sealed class RangeSources
{
    public List<CloudEntry> Cloud { get; } = [];

    public List<AsnRow> Asn { get; } = [];

    /// <summary>Entries with <see cref="BlocklistEntry.Cidr"/> in canonical form (see <see cref="BlocklistRules"/>).</summary>
    public List<BlocklistEntry> Blocklist { get; } = [];
}

/// <summary>A row a parser could not use, with the source it came from and its 1-based line.</summary>
public sealed record RangeParseIssue(string Source, int Line, string Message);

/// <summary>
/// What the parsers accepted and refused, per source. Bad rows are listed here and skipped, the rest
/// of the source still counts; a source that cannot be read at all (not JSON, truncated) is failed.
/// </summary>
public sealed class RangeParseReport
{
    private readonly List<RangeParseIssue> _issues = [];
    private readonly Dictionary<string, int> _accepted = [];
    private readonly HashSet<string> _failed = [];

    public IReadOnlyList<RangeParseIssue> Issues => _issues;

    /// <summary>Rows accepted per source name.</summary>
    public IReadOnlyDictionary<string, int> Accepted => _accepted;

    /// <summary>Sources that could not be read as a whole.</summary>
    public IReadOnlySet<string> FailedSources => _failed;

    public int BadRows(string source) => _issues.Count(issue => issue.Source == source);

    public int AcceptedRows(string source) => _accepted.GetValueOrDefault(source);

    internal void Accept(string source, int rows) => _accepted[source] = _accepted.GetValueOrDefault(source) + rows;

    internal void Bad(string source, int line, string message) => _issues.Add(new RangeParseIssue(source, line, message));

    internal void Fail(string source, int line, string message)
    {
        _failed.Add(source);
        _issues.Add(new RangeParseIssue(source, line, message));
    }

    /// <summary>Adds another report's rows and issues (e.g. one source's report into the refresh's).</summary>
    public void Merge(RangeParseReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (source, count) in other._accepted)
        {
            _accepted[source] = _accepted.GetValueOrDefault(source) + count;
        }

        _issues.AddRange(other._issues);
        _failed.UnionWith(other._failed);
    }

    internal void Touch(string source) => _accepted.TryAdd(source, 0);

    public override string ToString() =>
        string.Join("; ", _accepted.Select(pair => $"{pair.Key}: {pair.Value} rows, {BadRows(pair.Key)} bad{(_failed.Contains(pair.Key) ? ", FAILED" : "")}"));
}
