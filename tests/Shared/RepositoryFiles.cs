using System.Reflection;

namespace GameSignals.Tests;

/// <summary>Files of this repository the tests read, found from where MSBuild built the test project (tests/Directory.Build.props).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = typeof(RepositoryFiles).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "RepositoryRoot").Value!;

    /// <summary>The contract's example stream, its configuration and its expected results.</summary>
    public static string Examples => Path.Combine(Root, "tests", "data", "examples");

    /// <summary>Small range publications we wrote in the providers' formats: overlaps, nesting, IPv6, gzip.</summary>
    public static string RangeFormats => Path.Combine(Root, "tests", "data", "ipranges-formats");

    /// <summary>The same formats with the kinds of bad rows real publications have.</summary>
    public static string MalformedRanges => Path.Combine(Root, "tests", "data", "ipranges-malformed");
}
