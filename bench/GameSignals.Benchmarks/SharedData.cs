namespace GameSignals.Benchmarks;

/// <summary>Finds <c>shared/</c> (contract examples, real IP range data) above the benchmark binaries, or GAMESIGNALS_SHARED.</summary>
internal static class SharedData
{
    public static string Root { get; } = Locate();

    public static string ExampleEvents => Path.Combine(Root, "contracts", "examples", "events.jsonl");

    public static string RealIpRanges => Path.Combine(Root, "data", "ipranges-real");

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("GAMESIGNALS_SHARED") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "shared", "contracts")))
            {
                return Path.Combine(dir.FullName, "shared");
            }
        }

        throw new DirectoryNotFoundException("shared/ not found above the benchmark binaries; set GAMESIGNALS_SHARED.");
    }
}
