namespace GameSignals.Tests;

/// <summary>Finds <c>shared/</c> (contract examples, real IP range data) beside the repository.</summary>
internal static class SharedFiles
{
    public static string Root { get; } = Locate();

    public static string Examples => Path.Combine(Root, "contracts", "examples");

    public static string RealIpRanges => Path.Combine(Root, "data", "ipranges-real");

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("GAMESIGNALS_SHARED") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "contracts")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/ was not found above the test binaries; set GAMESIGNALS_SHARED.");
    }
}
