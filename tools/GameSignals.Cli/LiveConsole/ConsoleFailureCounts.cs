using GameSignals.Admin.Health;
using GameSignals.Pipeline;

namespace GameSignals.Cli.LiveConsole;

/// <summary>
/// The local console's failures: the replay's dead letters (all of them: the replay is the console's whole day), and
/// no push poison, since the local host sends no push.
/// </summary>
internal sealed class ConsoleFailureCounts(InMemoryDeadLetterStore deadLetters) : IFailureCounts
{
    public ValueTask<FailureCounts> CountAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new FailureCounts(deadLetters.All.Count, DeadLettersComplete: true, PushPoison: null));
}
