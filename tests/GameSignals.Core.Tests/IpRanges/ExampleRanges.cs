using GameSignals.IpRanges;

namespace GameSignals.Core.Tests.IpRanges;

/// <summary>The range table built from the contract example's <c>ipranges/</c>, shared by the tests that need IP facts.</summary>
internal static class ExampleRanges
{
    public static RangeTable Table { get; } = RangeTableLoader.FromDirectory(RepositoryFiles.Examples).Table;
}
