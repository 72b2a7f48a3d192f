using System.Runtime.InteropServices;
using GameSignals.Events;

namespace GameSignals.Profiles;

/// <summary>
/// A batch's profile events grouped by player: players in order of first appearance, each player's events in batch order.
/// One look-up of the partition's state an event, where grouping by key and looking each player up
/// again cost five. The profile stage's working memory, kept by the partition's <see cref="ProfileState"/> and used again
/// batch after batch (a partition's batches run one at a time): made anew, it was a tenth of a replay's allocations.
/// </summary>
public sealed class PlayerBatch
{
    private readonly List<Player> _players = [];
    private readonly Dictionary<(string GameId, string UserId), int> _ofNew = new(StringPairComparer.Instance);
    private int[] _owners = [];
    private GameEvent[] _events = [];

    // Which grouping this is: a held player remembers the last grouping that met them and their place in it, where a
    // dictionary by reference cost a look-up and a read of the player's object header for each event.
    private long _grouping;

    /// <summary>Players in the batch.</summary>
    public int Count => _players.Count;

    /// <summary>Groups the profile events of <paramref name="batch"/> into the empty grouping; <see cref="Clear"/> lets them go.</summary>
    public void Group(IReadOnlyList<GameEvent> batch, ProfileState state)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(state);
        _grouping++;
        if (_owners.Length < batch.Count)
        {
            _owners = new int[batch.Count];
            _events = new GameEvent[batch.Count];
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i];
            if (!ProfileFeatures.IsProfileEvent(e.Type))
            {
                _owners[i] = -1;
                continue;
            }

            var held = state.PlayerOf(e.GameId, e.UserId);
            int owner;
            if (held is not null)
            {
                if (held.GroupedIn != _grouping)
                {
                    (held.GroupedIn, held.GroupedAs) = (_grouping, _players.Count);
                    _players.Add(new Player(held, 0, 0, e.Time));
                }

                owner = held.GroupedAs;
            }
            else
            {
                ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(_ofNew, (e.GameId, e.UserId), out var exists);
                if (!exists)
                {
                    known = _players.Count;
                    _players.Add(new Player(null, 0, 0, e.Time));
                }

                owner = known;
            }

            ref var player = ref CollectionsMarshal.AsSpan(_players)[owner];
            player.Events++;
            player.Last = e.Time > player.Last ? e.Time : player.Last;
            _owners[i] = owner;
        }

        // Each player's run starts where the previous player's ends; the events go to their runs in batch order.
        var players = CollectionsMarshal.AsSpan(_players);
        var next = players.Length <= 256 ? stackalloc int[players.Length] : new int[players.Length];
        for (var p = 0; p < players.Length; p++)
        {
            players[p].Start = p == 0 ? 0 : players[p - 1].Start + players[p - 1].Events;
            next[p] = players[p].Start;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (_owners[i] >= 0)
            {
                _events[next[_owners[i]]++] = batch[i];
            }
        }
    }

    /// <summary>The player as the state held them when grouped; null when it did not hold them yet.</summary>
    public ProfileState.Player? Held(int player) => _players[player].Held;

    /// <summary>Event time of the player's newest event in the batch.</summary>
    public DateTimeOffset Last(int player) => _players[player].Last;

    /// <summary>The player's events, in batch order.</summary>
    public ReadOnlySpan<GameEvent> EventsOf(int player) => _events.AsSpan(_players[player].Start, _players[player].Events);

    /// <summary>Forgets the batch, and lets its events go.</summary>
    public void Clear()
    {
        var used = _players.Count == 0 ? 0 : _players[^1].Start + _players[^1].Events;
        _events.AsSpan(0, used).Clear();
        _players.Clear();
        _ofNew.Clear();
    }

    private record struct Player(ProfileState.Player? Held, int Start, int Events, DateTimeOffset Last);
}
