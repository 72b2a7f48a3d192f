namespace GameSignals.Events;

/// <summary>
/// A player's latest events, read back for a rule's dry run: the replayed events locally
/// (<see cref="InMemoryRecentEvents"/>), the hubs' retention in Azure. Nothing is stored per event for it.
/// </summary>
public interface IRecentEvents
{
    /// <summary>Default of <c>limit</c>.</summary>
    const int DefaultLimit = 50;

    /// <summary>Most events one call returns.</summary>
    const int MaxLimit = 100;

    /// <summary>The player's last <paramref name="limit"/> events known, oldest first; empty when none is known.</summary>
    ValueTask<IReadOnlyList<GameEvent>> ListAsync(string gameId, string userId, int limit, CancellationToken cancellationToken);
}

/// <summary>
/// The last <see cref="PerPlayer"/> events of each of at most <see cref="MaxPlayers"/> players, fed by whoever sees
/// the events (the local console's replay); the player heard from least recently is forgotten first, so memory stays
/// bounded by the two limits however long the stream.
/// </summary>
public sealed class InMemoryRecentEvents(int perPlayer = IRecentEvents.DefaultLimit, int maxPlayers = InMemoryRecentEvents.DefaultMaxPlayers) : IRecentEvents
{
    public const int DefaultMaxPlayers = 100_000;

    private readonly Dictionary<(string Game, string User), LinkedListNode<Player>> _players = [];
    private readonly LinkedList<Player> _byRecency = new(); // last: heard from most recently
    private readonly Lock _gate = new();

    public int PerPlayer { get; } = perPlayer > 0 ? perPlayer : throw new ArgumentOutOfRangeException(nameof(perPlayer));

    public int MaxPlayers { get; } = maxPlayers > 0 ? maxPlayers : throw new ArgumentOutOfRangeException(nameof(maxPlayers));

    /// <summary>Players remembered now.</summary>
    public int PlayerCount
    {
        get
        {
            lock (_gate)
            {
                return _players.Count;
            }
        }
    }

    /// <summary>Remembers <paramref name="gameEvent"/> as its player's latest.</summary>
    public void Add(GameEvent gameEvent)
    {
        ArgumentNullException.ThrowIfNull(gameEvent);
        var key = (gameEvent.GameId, gameEvent.UserId);
        lock (_gate)
        {
            if (_players.TryGetValue(key, out var node))
            {
                _byRecency.Remove(node);
            }
            else
            {
                if (_players.Count == MaxPlayers)
                {
                    _players.Remove(_byRecency.First!.Value.Key);
                    _byRecency.RemoveFirst();
                }

                node = new LinkedListNode<Player>(new Player(key));
                _players[key] = node;
            }

            _byRecency.AddLast(node);
            var events = node.Value.Events;
            events.Enqueue(gameEvent);
            if (events.Count > PerPlayer)
            {
                events.Dequeue();
            }
        }
    }

    public ValueTask<IReadOnlyList<GameEvent>> ListAsync(string gameId, string userId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            IReadOnlyList<GameEvent> events = _players.TryGetValue((gameId, userId), out var node)
                ? [.. node.Value.Events.TakeLast(limit)]
                : [];
            return ValueTask.FromResult(events);
        }
    }

    private sealed record Player((string Game, string User) Key)
    {
        public Queue<GameEvent> Events { get; } = new();
    }
}

/// <summary>The stage that feeds <see cref="InMemoryRecentEvents"/> with every new event (the local console's replay).</summary>
public sealed class RecentEventsStage(InMemoryRecentEvents recent) : Pipeline.IEventStage
{
    public string Name => "recent-events";

    public ValueTask ProcessAsync(Pipeline.EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var e in batch.Events)
        {
            recent.Add(e);
        }

        return ValueTask.CompletedTask;
    }
}
