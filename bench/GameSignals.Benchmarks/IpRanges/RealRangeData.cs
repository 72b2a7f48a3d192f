namespace GameSignals.Benchmarks.IpRanges;

/// <summary>Finds shared/data/ipranges-real above the benchmark binaries (or GAMESIGNALS_SHARED).</summary>
internal static class RealRangeData
{
    public static string Directory { get; } = Locate();

    private static string Locate()
    {
        var shared = Environment.GetEnvironmentVariable("GAMESIGNALS_SHARED");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); shared is null && dir is not null; dir = dir.Parent)
        {
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, "shared", "data", "ipranges-real")))
            {
                shared = Path.Combine(dir.FullName, "shared");
            }
        }

        return Path.Combine(shared ?? throw new DirectoryNotFoundException("shared/ not found; set GAMESIGNALS_SHARED."), "data", "ipranges-real");
    }
}
