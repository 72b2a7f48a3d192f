using GameSignals.Cli.Replay.Faults;
using GameSignals.Pipeline;

namespace GameSignals.Cli.Tests;

public sealed class FaultInjectorTests
{
    /// <summary>What 2,000 store calls met: a write each, then a read.</summary>
    private static List<string> Run(FaultInjector faults)
    {
        var seen = new List<string>();
        for (var call = 0; call < 1000; call++)
        {
            try
            {
                faults.BeforeWrite("write");
                faults.AfterWrite("write");
                seen.Add(faults.LostRace() ? "lost race" : "ok");
            }
            catch (TransientStoreException ex)
            {
                seen.Add(ex.Message);
            }

            try
            {
                faults.BeforeRead("read");
                seen.Add("ok");
            }
            catch (TransientStoreException ex)
            {
                seen.Add(ex.Message);
            }
        }

        return seen;
    }

    [Fact]
    public void The_same_seed_gives_the_same_faults_and_the_rate_is_kept()
    {
        var first = Run(new FaultInjector(0.05, seed: 3));

        Assert.Equal(first, Run(new FaultInjector(0.05, seed: 3)));
        Assert.NotEqual(first, Run(new FaultInjector(0.05, seed: 4)));
        Assert.InRange(first.Count(s => s != "ok"), 50, 200);
    }

    [Fact]
    public void At_rate_zero_or_disabled_nothing_fails()
    {
        Assert.All(Run(new FaultInjector(0, seed: 1)), s => Assert.Equal("ok", s));
        Assert.All(Run(new FaultInjector(0.5, seed: 1) { Enabled = false }), s => Assert.Equal("ok", s));
    }

    [Fact]
    public void An_armed_crash_fires_after_that_many_writes_and_every_call_fails_until_the_runner_takes_it()
    {
        var faults = new FaultInjector(0, seed: 1);
        faults.ArmCrash(3);

        faults.AfterWrite("first");
        faults.AfterWrite("second");
        Assert.Throws<ReplayCrashException>(() => faults.AfterWrite("third"));
        Assert.Throws<ReplayCrashException>(() => faults.BeforeRead("a read after the crash"));

        Assert.True(faults.TakeCrash());
        Assert.False(faults.TakeCrash());
        faults.BeforeRead("the new instance reads");
        faults.ReachCheckpoint();
    }

    [Fact]
    public void A_crashing_batch_with_fewer_writes_dies_at_its_checkpoint()
    {
        var faults = new FaultInjector(0, seed: 1);
        faults.ArmCrash(40);
        faults.AfterWrite("only write");

        Assert.Throws<ReplayCrashException>(faults.ReachCheckpoint);
        Assert.True(faults.TakeCrash());
    }
}
