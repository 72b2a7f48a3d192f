using GameSignals.Benchmarks.Components;

namespace GameSignals.Benchmarks.Fraud;

/// <summary>
/// Issue 14's receipt goal: at least 20,000 verifications a second on one core per store, on
/// <see cref="ReceiptBenchmarks"/>'s distinct receipts with the keys and roots kept per configuration version.
/// Each store has a line for its floor (the bare signature check the verification makes, nothing else) and its goal
/// line, which names its ratios to the floor and to the baseline (parsing per receipt), all from the same run. The App
/// Store's floor is the fixed-key P-256 verifier the fraud stage uses; a line of its own gives the platform's ES256
/// verify (OpenSSL), which it replaced, and the ratio between the two.
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
            var (googleFloor, google) = FloorAndFull(bench.GooglePlayRsaVerifyOnly, bench.GooglePlayKeysPerVersion);
            yield return Floor("google_play", googleFloor, "the bare RSA-2048 verify (platform) of the same receipts, public key alone, nothing else");
            yield return Store("google_play", google, googleFloor, "RSA-2048 verify", PerSecond(bench.GooglePlayParsedPerReceipt), null);

            var platform = PerSecond(bench.AppStorePlatformEs256VerifyOnly);
            var (appleFloor, apple) = FloorAndFull(bench.AppStoreFixedKeyEs256VerifyOnly, bench.AppStoreKeysPerVersion);
            yield return new GoalLine(
                "receipts.app_store_platform_verify_per_s",
                $"{ComponentGoals.Number(platform)} (the platform's bare ES256 verify, ECDsa.VerifyData on OpenSSL with the public key alone, " +
                "of the same receipts: what each verification cost before the fixed-key verifier)",
                "reported",
                true);
            yield return Floor(
                "app_store",
                appleFloor,
                $"the bare fixed-key ES256 verify, SHA-256 and P256FixedKeyVerifier.Verify of the same receipts, nothing else; " +
                $"{ComponentGoals.Number(appleFloor / platform)}x the platform's verify");
            yield return Store("app_store", apple, appleFloor, "fixed-key ES256 verify", PerSecond(bench.AppStoreParsedPerReceipt), platform);
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static GoalLine Floor(string store, double rate, string what) =>
        new($"receipts.{store}_floor_per_s", $"{ComponentGoals.Number(rate)} ({what}: no verification can be faster)", "reported", true);

    private static GoalLine Store(string store, double rate, double floor, string floorName, double parsed, double? platform) => new(
        $"receipts.{store}_per_s",
        $"{ComponentGoals.Number(rate)} (the full verification the fraud stage makes; {ComponentGoals.Number(rate / floor)}x the bare {floorName}; " +
        (platform is { } p ? $"{ComponentGoals.Number(rate / p)}x the platform's bare verify; " : "") +
        $"{ComponentGoals.Number(rate / parsed)}x parsing per receipt)",
        $">= {ComponentGoals.Number(Goal)}",
        rate >= Goal);

    /// <summary>
    /// A store's floor and full verification per second, timed in alternating pairs: measured apart, the floor came out
    /// below the full verification it is part of on a disturbed run.
    /// </summary>
    private static (double Floor, double Full) FloorAndFull(Func<int> floor, Func<int> full)
    {
        var (floorSeconds, fullMore, _) = ComponentGoals.PairedCpuSecondsPerPass(Passes, () => _ = floor(), () => _ = full());
        return (ReceiptBenchmarks.Receipts / floorSeconds, ReceiptBenchmarks.Receipts / (floorSeconds + fullMore));
    }

    private static double PerSecond(Func<int> verifyAll) =>
        ReceiptBenchmarks.Receipts / ComponentGoals.CpuSecondsPerPass(Passes, () => _ = verifyAll());
}
