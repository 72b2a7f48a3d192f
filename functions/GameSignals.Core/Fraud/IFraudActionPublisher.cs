using System.Collections.Concurrent;

namespace GameSignals.Fraud;

/// <summary>
/// Sends the flags of severity <c>block</c> to the game's enforcement (the <c>fraud-actions</c> hub in Azure).
/// Delivery is at least once: the message id is the flag id, so consumers drop repeats by it.
/// </summary>
public interface IFraudActionPublisher
{
    ValueTask PublishAsync(FraudFlag flag, CancellationToken cancellationToken);
}

/// <summary>One published action: the message id (the flag id) and the flag.</summary>
public sealed record FraudActionMessage(string MessageId, FraudFlag Flag);

/// <summary>Keeps published actions in memory (replay and tests).</summary>
public sealed class InMemoryFraudActionPublisher : IFraudActionPublisher
{
    private readonly ConcurrentQueue<FraudActionMessage> _messages = new();

    /// <summary>Every message in publishing order, repeats included.</summary>
    public IReadOnlyList<FraudActionMessage> Messages => [.. _messages];

    public ValueTask PublishAsync(FraudFlag flag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flag);
        _messages.Enqueue(new FraudActionMessage(flag.Id, flag));
        return ValueTask.CompletedTask;
    }
}
