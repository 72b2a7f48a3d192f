using GameSignals.Pipeline;

namespace GameSignals.Cli.Replay.Faults;

/// <summary>The faults Azure's stores and clients really produce, as <see cref="FaultInjector"/> injects them.</summary>
internal enum FaultKind
{
    /// <summary>429 with a retry-after; nothing was written.</summary>
    Throttled,

    /// <summary>503; nothing was written.</summary>
    Unavailable,

    /// <summary>No answer in time, and nothing was written.</summary>
    TimeoutBeforeWrite,

    /// <summary>No answer in time, but the write was applied: the caller cannot tell, and must not do it twice.</summary>
    TimeoutAfterWrite,

    /// <summary>
    /// 409 on a create or 412 on an ETag-guarded replace: another writer got there first. Injected after the write
    /// is applied, as when a second host instance made the same idempotent write a moment earlier.
    /// </summary>
    LostRace,
}

/// <summary>
/// Decides, at a rate and from a seed, which store calls fail and how; the decorators in this folder ask it
/// around every call of the embedded stores. It also crashes an armed batch after some of its writes, as a host
/// instance dying mid-batch would: from then on every store call fails until the runner starts a new instance.
/// </summary>
/// <remarks>
/// Thread-safe (the profile stage writes players in parallel). Delays are scaled down for replay: a throttled
/// call asks for 1 to 4 ms where Cosmos asks for tens of milliseconds; the retry counts are production's.
/// </remarks>
internal sealed class FaultInjector(double rate, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();
    private readonly long[] _injected = new long[Enum.GetValues<FaultKind>().Length];
    private int _writesBeforeCrash = -1;
    private bool _crashed;

    public double Rate => rate;

    /// <summary>Off while replay writes its outputs: reading the final state is not part of the run.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many faults of each kind were injected.</summary>
    public IReadOnlyDictionary<FaultKind, long> Injected
    {
        get
        {
            lock (_gate)
            {
                return Enum.GetValues<FaultKind>().ToDictionary(kind => kind, kind => _injected[(int)kind]);
            }
        }
    }

    /// <summary>The current batch crashes after <paramref name="writes"/> more store writes (at its checkpoint if it has fewer).</summary>
    public void ArmCrash(int writes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writes, 1);
        lock (_gate)
        {
            _writesBeforeCrash = writes;
        }
    }

    /// <summary>A number of writes in [1, <paramref name="max"/>], from the seed.</summary>
    public int NextCrashPoint(int max)
    {
        lock (_gate)
        {
            return _random.Next(1, max + 1);
        }
    }

    /// <summary>The batch reached its checkpoint: an armed crash that has not fired fires now, after every write.</summary>
    public void ReachCheckpoint()
    {
        lock (_gate)
        {
            if (_writesBeforeCrash > 0)
            {
                CrashLocked();
            }
        }
    }

    /// <summary>True once if the last failure was the armed crash; the runner then starts a new host instance.</summary>
    public bool TakeCrash()
    {
        lock (_gate)
        {
            var crashed = _crashed;
            _crashed = false;
            _writesBeforeCrash = -1;
            return crashed;
        }
    }

    /// <summary>Before a read: maybe a refusal (429, 503, timeout) that changes nothing.</summary>
    public void BeforeRead(string operation) => Before(operation, write: false);

    /// <summary>Before a write: maybe a refusal that changes nothing.</summary>
    public void BeforeWrite(string operation) => Before(operation, write: true);

    /// <summary>After a write was applied: maybe a timeout that hides it, or the armed crash.</summary>
    public void AfterWrite(string operation)
    {
        lock (_gate)
        {
            if (_writesBeforeCrash > 0 && --_writesBeforeCrash == 0)
            {
                CrashLocked();
            }

            if (Draw() && _random.Next(2) == 0)
            {
                throw Fault(FaultKind.TimeoutAfterWrite, operation);
            }
        }
    }

    /// <summary>After a create or guarded replace was applied: true when the caller is to be told it lost a race.</summary>
    public bool LostRace()
    {
        lock (_gate)
        {
            if (!Draw() || _random.Next(2) == 0)
            {
                return false;
            }

            _injected[(int)FaultKind.LostRace]++;
            return true;
        }
    }

    private void Before(string operation, bool write)
    {
        lock (_gate)
        {
            if (_crashed)
            {
                throw new ReplayCrashException(operation);
            }

            if (Draw())
            {
                // Writes also draw after the call (timeout after write, lost race); halve the chance before.
                if (write && _random.Next(2) == 0)
                {
                    return;
                }

                throw Fault((FaultKind)_random.Next(3), operation);
            }
        }
    }

    private bool Draw() => Enabled && rate > 0 && _random.NextDouble() < rate;

    private TransientStoreException Fault(FaultKind kind, string operation)
    {
        _injected[(int)kind]++;
        return kind switch
        {
            FaultKind.Throttled => new TransientStoreException(TransientFailure.Throttled, $"injected 429 on {operation}", TimeSpan.FromMilliseconds(_random.Next(1, 5))),
            FaultKind.Unavailable => new TransientStoreException(TransientFailure.Unavailable, $"injected 503 on {operation}"),
            _ => new TransientStoreException(TransientFailure.Timeout, $"injected timeout on {operation}"),
        };
    }

    private void CrashLocked()
    {
        _writesBeforeCrash = -1;
        _crashed = true;
        throw new ReplayCrashException("the armed batch");
    }
}

/// <summary>The host instance died (injected by <c>--crash-every</c>). Not transient: nothing in the instance may retry it.</summary>
internal sealed class ReplayCrashException : Exception
{
    public ReplayCrashException() { }

    public ReplayCrashException(string operation) : base($"injected crash at {operation}") { }

    public ReplayCrashException(string message, Exception inner) : base(message, inner) { }
}
