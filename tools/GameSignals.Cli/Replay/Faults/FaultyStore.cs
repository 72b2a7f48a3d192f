namespace GameSignals.Cli.Replay.Faults;

/// <summary>
/// The base of the decorators that put a <see cref="FaultInjector"/> around an embedded store: each method of a
/// store is one line saying whether it reads, writes, or writes under a create/ETag condition.
/// </summary>
internal abstract class FaultyStore(FaultInjector faults)
{
    protected FaultInjector Faults { get; } = faults;

    protected async ValueTask<T> Read<T>(string operation, Func<ValueTask<T>> call)
    {
        Faults.BeforeRead(operation);
        return await call().ConfigureAwait(false);
    }

    protected async ValueTask Write(string operation, Func<ValueTask> call)
    {
        Faults.BeforeWrite(operation);
        await call().ConfigureAwait(false);
        Faults.AfterWrite(operation);
    }

    protected async ValueTask<T> Write<T>(string operation, Func<ValueTask<T>> call)
    {
        Faults.BeforeWrite(operation);
        var result = await call().ConfigureAwait(false);
        Faults.AfterWrite(operation);
        return result;
    }

    /// <summary>
    /// A create or ETag-guarded replace. When it <paramref name="applied"/>, the caller may instead be told it lost
    /// the race (<paramref name="lost"/>: the store's own 409/412 answer), as if an identical write had won.
    /// </summary>
    protected async ValueTask<T> Conditional<T>(string operation, Func<ValueTask<T>> call, Func<T, bool> applied, Func<T, T> lost)
    {
        var result = await Write(operation, call).ConfigureAwait(false);
        return applied(result) && Faults.LostRace() ? lost(result) : result;
    }
}
