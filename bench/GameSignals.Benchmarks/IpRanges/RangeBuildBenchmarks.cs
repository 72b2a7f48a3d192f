using BenchmarkDotNet.Attributes;
using GameSignals.IpRanges;

namespace GameSignals.Benchmarks.IpRanges;

/// <summary>Parse and build from the real Azure Service Tags (90,493 prefixes), and a snapshot round trip of all real files.</summary>
[MemoryDiagnoser]
public class RangeBuildBenchmarks
{
    private byte[] _azure = [];
    private RangeSnapshot? _snapshot;

    [GlobalSetup]
    public void Setup()
    {
        _azure = File.ReadAllBytes(Path.Combine(BenchData.RealIpRanges, RangeTableLoader.AzureFile));
        _snapshot = RangeSnapshot.Create(RangeTableLoader.FromDirectory(BenchData.RealIpRanges).Table);
    }

    [Benchmark]
    public RangeTable ParseAndBuildAzure()
    {
        var sources = new RangeSources();
        RangeParsers.ParseAzure(_azure, RangeTableLoader.AzureFile, sources, new RangeParseReport());
        return RangeTable.Build(sources);
    }

    [Benchmark]
    public RangeTable LoadSnapshotOfAllRealFiles() => RangeSnapshot.Load(_snapshot!.Content);
}
