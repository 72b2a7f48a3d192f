namespace GameSignals.Cli.Replay;

/// <summary>Replay cannot go on: a batch kept failing (a defect, not a fault replay injected). Exit code 1.</summary>
internal sealed class ReplayStoppedException : Exception
{
    public ReplayStoppedException() { }

    public ReplayStoppedException(string message) : base(message) { }

    public ReplayStoppedException(string message, Exception inner) : base(message, inner) { }
}
