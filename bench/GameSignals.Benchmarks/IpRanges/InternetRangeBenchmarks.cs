using BenchmarkDotNet.Attributes;
using GameSignals.IpRanges;
using GameSignals.Testing;

namespace GameSignals.Benchmarks.IpRanges;

/// <summary>
/// Full lookups (ASN, cloud ranges, blocklist) in the synthetic internet-size table: 1,024 cycled addresses (cache
/// warm) and 1,048,576 distinct ones (cache misses as real traffic has), IPv4 and IPv6. Baseline in the same run:
/// the structure before issue 14 on the same table and addresses.
/// </summary>
[MemoryDiagnoser]
public class InternetRangeLookupBenchmarks
{
    private const int Lookups = 4096;
    private RangeTable _table = RangeTable.Empty;
    private PreviousRangeTable _previous = null!;
    private FullLookups _lookups = null!;
    private FullLookups _previousLookups = null!;

    [Params(false, true)]
    public bool IPv6 { get; set; }

    [Params(1 << 10, 1 << 20)]
    public int Addresses { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sources = SyntheticRanges.Create();
        _table = RangeTable.Build(sources);
        _previous = new PreviousRangeTable(sources);
        var keys = SyntheticRanges.Addresses(sources, IPv6, Addresses);
        _lookups = new FullLookups(keys);
        _previousLookups = new FullLookups(keys);
        _lookups.Run(_table, keys.Length); // an ASN interval's AsnInfo is made on its first lookup
        _previousLookups.Run(_previous, keys.Length);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lookups)]
    public int Previous() => _previousLookups.Run(_previous, Lookups);

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int Current() => _lookups.Run(_table, Lookups);
}

/// <summary>Building the synthetic internet-size table from parsed sources; baseline: the structure before issue 14.</summary>
[MemoryDiagnoser]
public class InternetRangeBuildBenchmarks
{
    private RangeSources _sources = new();

    [GlobalSetup]
    public void Setup() => _sources = SyntheticRanges.Create();

    [Benchmark(Baseline = true)]
    public PreviousRangeTable Previous() => new(_sources);

    [Benchmark]
    public RangeTable Current() => RangeTable.Build(_sources);
}
