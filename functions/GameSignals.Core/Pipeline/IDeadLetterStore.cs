using System.Collections.Concurrent;
using GameSignals.Events;

namespace GameSignals.Pipeline;

/// <summary>Keeps poison messages with their reason and position. Writes are idempotent by <see cref="DeadLetter.Name"/>.</summary>
public interface IDeadLetterStore
{
    ValueTask WriteAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken);
}

/// <summary>The embedded dead-letter store of replay and tests.</summary>
public sealed class InMemoryDeadLetterStore : IDeadLetterStore
{
    private readonly ConcurrentDictionary<string, DeadLetter> _letters = new();

    public IReadOnlyCollection<DeadLetter> All => [.. _letters.Values.OrderBy(d => d.Name, StringComparer.Ordinal)];

    public ValueTask WriteAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        foreach (var letter in deadLetters)
        {
            _letters[letter.Name] = letter;
        }

        return ValueTask.CompletedTask;
    }
}
