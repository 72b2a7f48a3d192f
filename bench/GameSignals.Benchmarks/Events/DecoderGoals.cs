using GameSignals.Benchmarks.Components;

namespace GameSignals.Benchmarks.Events;

/// <summary>
/// Issue 14's decoder goal: decode and validate (the typed payload built, dead-letter checks made) at most 1.5x the
/// cost of a bare <c>JsonDocument.Parse</c> of the same events, both timed in this process. The events are
/// <see cref="DecodeBenchmarks"/>'s: the example stream's valid ones, about 360 bytes each.
/// </summary>
internal static class DecoderGoals
{
    private const int Passes = 100;

    public static IEnumerable<GoalLine> Measure()
    {
        var bench = new DecodeBenchmarks();
        bench.Setup();
        var (parse, decodeMore, ratio) = ComponentGoals.PairedCpuSecondsPerPass(Passes, () => _ = bench.JsonDocumentParse(), () => _ = bench.DecodeAndValidate());
        var (_, _, thenDataRatio) = ComponentGoals.PairedCpuSecondsPerPass(Passes, () => _ = bench.JsonDocumentParse(), () => _ = bench.DecodeThenReadData());
        yield return new GoalLine(
            "decoder.decode_vs_parse",
            $"{ComponentGoals.Number(ratio)}x a bare JsonDocument.Parse, timed in alternating pairs ({ComponentGoals.Number((parse + decodeMore) / DecodeBenchmarks.Events * 1e9)} ns " +
            $"against {ComponentGoals.Number(parse / DecodeBenchmarks.Events * 1e9)} ns an event; then reading data as a condition does: " +
            $"{ComponentGoals.Number(thenDataRatio)}x)",
            "<= 1.5x",
            ratio <= 1.5);
    }
}
