using System.Collections.Concurrent;
using GameSignals.Notifications;

namespace GameSignals.Experiments;

/// <summary>
/// What a control player would have received at a moment: the stats notification, rendered and explained as a treatment
/// player's is, never sent. Its id is the notification's (from rule, source and event id), so a redelivery records nothing twice.
/// </summary>
public sealed record WouldHaveReceived(string ExperimentId, Notification Notification)
{
    public string Id => Notification.Id;
}

/// <summary>The "would have received" log of control players (a Cosmos container in Azure), created once per id.</summary>
public interface IWouldHaveReceivedStore
{
    /// <summary>Records it; false when its id was recorded before.</summary>
    ValueTask<bool> CreateAsync(WouldHaveReceived record, CancellationToken cancellationToken);

    ValueTask<WouldHaveReceived?> GetAsync(string userId, string id, CancellationToken cancellationToken);

    /// <summary>A player's records in one game, oldest first.</summary>
    ValueTask<IReadOnlyList<WouldHaveReceived>> ListAsync(string gameId, string userId, CancellationToken cancellationToken);
}

/// <summary>The embedded log of replay and tests.</summary>
public sealed class InMemoryWouldHaveReceivedStore : IWouldHaveReceivedStore
{
    private readonly ConcurrentDictionary<(string UserId, string Id), WouldHaveReceived> _records = new();

    public int Count => _records.Count;

    public IEnumerable<WouldHaveReceived> All => _records.Values;

    public ValueTask<bool> CreateAsync(WouldHaveReceived record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ValueTask.FromResult(_records.TryAdd((record.Notification.UserId, record.Id), record));
    }

    public ValueTask<WouldHaveReceived?> GetAsync(string userId, string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_records.GetValueOrDefault((userId, id)));

    public ValueTask<IReadOnlyList<WouldHaveReceived>> ListAsync(string gameId, string userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<WouldHaveReceived>>(
            [.. _records.Values.Where(r => r.Notification.UserId == userId && r.Notification.GameId == gameId).OrderBy(r => r.Notification.Time).ThenBy(r => r.Id, StringComparer.Ordinal)]);
}
