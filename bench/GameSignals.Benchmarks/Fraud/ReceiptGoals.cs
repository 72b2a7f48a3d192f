using GameSignals.Benchmarks.Components;

namespace GameSignals.Benchmarks.Fraud;

/// <summary>
/// Issue 14's receipt goal: at least 20,000 verifications a second on one core per store, on
/// <see cref="ReceiptBenchmarks"/>'s distinct receipts with the keys and roots kept per configuration version.
/// Each store has a line for its floor (the bare signature check, which every verification makes) and its goal line,
/// which names its ratios to the floor and to the baseline (parsing per receipt), all from the same run.
/// </summary>
internal static class ReceiptGoals
{
    private const int Goal = 20_000;
    private const int Passes = 8;

    public static IEnumerable<GoalLine> Measure()
    {
        var bench = new ReceiptBenchmarks();
        bench.Setup();
        try
        {
            foreach (var (store, cached, parsed, floor, floorName) in new (string, Func<int>, Func<int>, Func<int>, string)[]
            {
                ("google_play", bench.GooglePlayKeysPerVersion, bench.GooglePlayParsedPerReceipt, bench.GooglePlayRsaVerifyOnly, "RSA-2048 verify"),
                ("app_store", bench.AppStoreKeysPerVersion, bench.AppStoreParsedPerReceipt, bench.AppStoreEs256VerifyOnly, "ES256 verify"),
            })
            {
                var rate = PerSecond(cached);
                var floorRate = PerSecond(floor);
                yield return new GoalLine(
                    $"receipts.{store}_floor_per_s",
                    $"{ComponentGoals.Number(floorRate)} (the bare {floorName} of the same receipts, nothing else: no verification can be faster)",
                    "reported",
                    true);
                yield return new GoalLine(
                    $"receipts.{store}_per_s",
                    $"{ComponentGoals.Number(rate)} ({ComponentGoals.Number(rate / floorRate)}x the bare {floorName}; " +
                    $"{ComponentGoals.Number(rate / PerSecond(parsed))}x parsing per receipt)",
                    $">= {ComponentGoals.Number(Goal)}",
                    rate >= Goal);
            }
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static double PerSecond(Func<int> verifyAll) =>
        ReceiptBenchmarks.Receipts / ComponentGoals.CpuSecondsPerPass(Passes, () => _ = verifyAll());
}
