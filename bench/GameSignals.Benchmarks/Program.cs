using BenchmarkDotNet.Running;
using GameSignals.Benchmarks.Components;

if (args is ["components", .. var names])
{
    return ComponentGoals.Run(names);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
