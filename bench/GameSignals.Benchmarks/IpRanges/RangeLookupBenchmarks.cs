using BenchmarkDotNet.Attributes;
using GameSignals.IpRanges;

namespace GameSignals.Benchmarks.IpRanges;

/// <summary>
/// Lookups of random IPv4 addresses (half inside published cloud prefixes) in the table built from all real files.
/// Baselines in the same run: a linear scan over the same cloud entries, and the ASN binary search alone.
/// </summary>
[MemoryDiagnoser]
public class RangeLookupBenchmarks
{
    private const int Addresses = 1024;
    private RangeTable _table = RangeTable.Empty;
    private CloudEntry[] _cloud = [];
    private UInt128[] _keys = [];
    private readonly List<CloudRange> _ranges = new(64);
    private FullLookups _fullLookups = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_table, _) = RangeTableLoader.FromDirectory(BenchData.RealIpRanges);
        _cloud = [.. _table.ToSources().Cloud];
        var random = new Random(42);
        _keys = new UInt128[Addresses];
        for (var i = 0; i < Addresses; i++)
        {
            if (i % 2 == 0)
            {
                _keys[i] = IpKey.FromIPv4((uint)random.NextInt64(0, 1L << 32));
            }
            else
            {
                var prefix = _cloud[random.Next(_cloud.Length)].Prefix;
                _keys[i] = prefix.Start + ((UInt128)random.NextInt64() % (prefix.End - prefix.Start + 1));
            }
        }

        _fullLookups = new FullLookups(_keys);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Addresses)]
    public int NaiveScanCloud()
    {
        var found = 0;
        foreach (var key in _keys)
        {
            _ranges.Clear();
            foreach (var entry in _cloud)
            {
                if (entry.Prefix.Contains(key))
                {
                    _ranges.Add(entry.Range);
                }
            }

            found += _ranges.Count;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Addresses)]
    public int AsnRowOnly()
    {
        var found = 0;
        foreach (var key in _keys)
        {
            found += _table.TryGetAsnRow(key, out _) ? 1 : 0;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Addresses)]
    public int CloudRanges()
    {
        var found = 0;
        foreach (var key in _keys)
        {
            _ranges.Clear();
            _table.GetCloudRanges(key, _ranges);
            found += _ranges.Count;
        }

        return found;
    }

    /// <summary>What a login check asks: ASN, every cloud range, every blocklist match.</summary>
    [Benchmark(OperationsPerInvoke = Addresses)]
    public int FullLookup() => _fullLookups.Run(_table, Addresses);
}
