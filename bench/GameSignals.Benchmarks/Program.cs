using BenchmarkDotNet.Running;
using GameSignals.Benchmarks.Components;
using GameSignals.Benchmarks.Events;

if (args is ["components", .. var names])
{
    return ComponentGoals.Run(names);
}

if (args is ["parse-floor", var file])
{
    return ParseFloor.Run(file);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
