using System.Buffers.Binary;
using System.Collections.Immutable;
using GameSignals.Pipeline.State;

namespace GameSignals.Profiles;

/// <summary>
/// The profile stage's part of a partition's state: for each player of the partition, the part of their profile this
/// hub folds from its own events, and since when (event time) it has changes not yet written to the profile store.
/// The stage folds events here, in memory, and materializes a player's part at most once per
/// <see cref="ProfileOptions.MaterializeEvery"/> of event time (docs/design.md, "State with its partition"). A changelog
/// record carries a part whole only when it was read from the store; otherwise the facts folded into it
/// (<see cref="ProfileFact"/>), which recovery folds again.
/// </summary>
public sealed class ProfileState : IPartitionStatePart
{
    /// <summary>The part's name in changelog records and snapshots.</summary>
    public const string PartName = "profiles";

    private const byte WholePart = 1;
    private const byte FoldedFacts = 2;
    private const byte Forgotten = 3;

    private readonly Dictionary<(string GameId, string UserId), Player> _players = new(StringPairComparer.Instance);

    // In the order changed; a player forgotten and held again since the last record has two entries, replayed in order.
    // An entry that is not a forgetting is the player as held now: forgetting a player turns their entry into one.
    private readonly List<(Player Player, Change Change)> _changed = [];

    // Written changes are cleared and used again: a batch's players change again in the next batches.
    private readonly Stack<Change> _spareChanges = new();
    private readonly PriorityQueue<(string GameId, string UserId), long> _due = new();
    private readonly PriorityQueue<(string GameId, string UserId), long> _idle = new();
    private bool _waitsKnown = true;
    private bool _idleKnown = true;

    /// <summary>How the pipeline creates one per partition.</summary>
    public static PartitionStatePartType Type { get; } = new(PartName, typeof(ProfileState), static () => new ProfileState());

    public bool HasChanges => _changed.Count > 0;

    /// <summary>The profile stage's grouping of a batch, kept with the partition to be used again.</summary>
    public PlayerBatch ByPlayer { get; } = new();

    /// <summary>Players held.</summary>
    public int Count => _players.Count;

    /// <summary>The player as held (their part, <see cref="Player.Part"/>), to fold a batch's events into with one look-up; null when not held yet (read them from the store first).</summary>
    public Player? PlayerOf(string gameId, string userId) => _players.GetValueOrDefault((gameId, userId));

    /// <summary>
    /// Holds a part read from the store (the changelog gets it whole); <paramref name="changedAt"/> (event time) starts its
    /// wait for materialization unless one is running.
    /// </summary>
    public Player Hold(PlayerProfile part, DateTimeOffset? changedAt, TimeSpan materializeEvery)
    {
        ArgumentNullException.ThrowIfNull(part);
        var key = (part.GameId, part.UserId);
        if (_players.TryGetValue(key, out var player))
        {
            player.Start(part);
        }
        else
        {
            _players[key] = player = new Player(key, part, null);
        }

        Wait(player, changedAt, materializeEvery);
        var change = ChangeOf(player);
        change.Forgotten = false;
        change.Whole = true;
        return player;
    }

    /// <summary>Folds a held player's new facts into their part (the changelog gets the facts); <paramref name="changedAt"/> as for <see cref="Hold"/>.</summary>
    public void Fold(Player player, List<ProfileFact> facts, string position, long last, DateTimeOffset changedAt, TimeSpan materializeEvery)
    {
        ArgumentNullException.ThrowIfNull(player);
        ArgumentNullException.ThrowIfNull(facts);
        player.Fold(facts, position, last);
        Wait(player, changedAt, materializeEvery);
        var change = ChangeOf(player);
        change.Facts.AddRange(facts);
        (change.Position, change.Last) = (position, last);
    }

    /// <summary>Starts the player's wait for materialization at <paramref name="changedAt"/>, unless one is running.</summary>
    private void Wait(Player player, DateTimeOffset? changedAt, TimeSpan materializeEvery)
    {
        if (changedAt is { } changed && player.PendingSince is null)
        {
            player.PendingSince = changed;
            _due.Enqueue(player.Key, (changed + materializeEvery).UtcTicks);
        }
    }

    private Change ChangeOf(Player player)
    {
        if (player.Change is null)
        {
            player.Change = _spareChanges.TryPop(out var spare) ? spare : new Change();
            _changed.Add((player, player.Change));
        }

        return player.Change;
    }

    /// <summary>
    /// The players whose changes have waited <paramref name="materializeEvery"/> by <paramref name="now"/> (event time), the
    /// longest waiting first and at most <paramref name="atMost"/> (the others stay due); with no <paramref name="now"/>,
    /// all with changes.
    /// </summary>
    public List<PlayerProfile> Due(DateTimeOffset? now, TimeSpan materializeEvery, int atMost = int.MaxValue)
    {
        if (!_waitsKnown)
        {
            RestoreWaits(materializeEvery);
        }

        var due = new List<PlayerProfile>();
        if (now is null)
        {
            due.AddRange(_players.Values.Where(p => p.PendingSince is not null).Select(p => p.Part));
            return due;
        }

        while (due.Count < atMost && _due.TryPeek(out var key, out var ticks) && ticks <= now.Value.UtcTicks)
        {
            _due.Dequeue();
            if (_players.TryGetValue(key, out var player) && player.PendingSince is not null)
            {
                due.Add(player.Part);
            }
        }

        return due;
    }

    /// <summary>
    /// The player's part as written to the profile store: nothing pending any more. Unless they change again, they are
    /// forgotten once idle for <paramref name="idleAfter"/> (<see cref="Evict"/>).
    /// </summary>
    public void Materialized(PlayerProfile part, TimeSpan idleAfter)
    {
        ArgumentNullException.ThrowIfNull(part);
        var key = (part.GameId, part.UserId);
        if (_players.TryGetValue(key, out var player) && player.Written(part))
        {
            player.PendingSince = null;
            ChangeOf(player);
            _idle.Enqueue(key, (part.LastSeen + idleAfter).UtcTicks);
        }
    }

    /// <summary>
    /// Forgets the players whose part is in the store and who have been idle for <paramref name="idleAfter"/> of event time
    /// by <paramref name="now"/>: a partition would otherwise hold every player it has ever seen. A forgotten player's
    /// next event reads their part back from the store. Returns how many were forgotten.
    /// </summary>
    public int Evict(DateTimeOffset now, TimeSpan idleAfter)
    {
        if (!_idleKnown)
        {
            _idleKnown = true;
            _idle.Clear();
            foreach (var (key, player) in _players.Where(p => p.Value.PendingSince is null))
            {
                _idle.Enqueue(key, (player.LastSeen + idleAfter).UtcTicks);
            }
        }

        var evicted = 0;
        while (_idle.TryPeek(out var key, out var ticks) && ticks <= now.UtcTicks)
        {
            _idle.Dequeue();
            if (_players.TryGetValue(key, out var player) && player.PendingSince is null && player.LastSeen + idleAfter <= now)
            {
                _players.Remove(key);
                var change = ChangeOf(player);
                change.Clear();
                change.Forgotten = true;
                evicted++;
            }
        }

        return evicted;
    }

    /// <summary>
    /// Each changed player: a part read from the store whole, otherwise the facts folded since the last record (a few
    /// dozen bytes an event), which <see cref="ApplyChanges"/> folds again; both with the player's pending time.
    /// </summary>
    public void WriteChanges(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_changed.Count);
        foreach (var (player, change) in _changed)
        {
            var key = player.Key;
            if (change.Forgotten)
            {
                writer.Write(Forgotten);
                writer.Write(key.GameId);
                writer.Write(key.UserId);
                change.Clear();
                _spareChanges.Push(change);
                continue;
            }

            player.Change = null;
            if (change.Whole)
            {
                writer.Write(WholePart);
                WritePart(writer, player.Build());
            }
            else
            {
                writer.Write(FoldedFacts);
                writer.Write(key.GameId);
                writer.Write(key.UserId);
                writer.Write(change.Facts.Count);
                if (change.Facts.Count > 0)
                {
                    writer.Write(change.Position!);
                    writer.Write(change.Last);
                    foreach (var fact in change.Facts)
                    {
                        fact.Write(writer);
                    }
                }
            }

            writer.Write(player.PendingSince?.UtcTicks ?? 0);
            change.Clear();
            _spareChanges.Push(change);
        }

        _changed.Clear();
    }

    public void ApplyChanges(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            var kind = reader.ReadByte();
            if (kind == Forgotten)
            {
                _players.Remove((reader.ReadString(), reader.ReadString()));
                continue;
            }

            if (kind == WholePart)
            {
                var part = ReadPart(reader);
                var key = (part.GameId, part.UserId);
                _players[key] = new Player(key, part, PendingOf(reader.ReadInt64()));
            }
            else if (kind == FoldedFacts)
            {
                var key = (reader.ReadString(), reader.ReadString());
                var player = _players.GetValueOrDefault(key)
                    ?? throw new InvalidDataException($"Facts for {key.Item1}/{key.Item2}, whose part the state does not hold.");
                var facts = new List<ProfileFact>(reader.ReadInt32());
                if (facts.Capacity > 0)
                {
                    var position = reader.ReadString();
                    var last = reader.ReadInt64();
                    for (var i = facts.Capacity; i > 0; i--)
                    {
                        facts.Add(ProfileFact.Read(reader));
                    }

                    player.Fold(facts, position, last);
                }

                player.PendingSince = PendingOf(reader.ReadInt64());
            }
            else
            {
                throw new InvalidDataException($"Unknown profile change kind {kind}.");
            }
        }

        _waitsKnown = _idleKnown = false;
    }

    public void WriteSnapshot(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_players.Count);
        foreach (var player in _players.Values)
        {
            WritePart(writer, player.Build());
            writer.Write(player.PendingSince?.UtcTicks ?? 0);
        }
    }

    /// <summary>Reads a snapshot; the waits start again from each player's pending time.</summary>
    public void ReadSnapshot(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            var part = ReadPart(reader);
            var key = (part.GameId, part.UserId);
            _players[key] = new Player(key, part, PendingOf(reader.ReadInt64()));
        }

        _waitsKnown = _idleKnown = false;
    }

    private static DateTimeOffset? PendingOf(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    /// <summary>After a load: the pending players' waits, which a record or snapshot does not carry.</summary>
    private void RestoreWaits(TimeSpan materializeEvery)
    {
        _waitsKnown = true;
        _due.Clear();
        foreach (var (key, player) in _players)
        {
            if (player.PendingSince is { } since)
            {
                _due.Enqueue(key, (since + materializeEvery).UtcTicks);
            }
        }
    }

    /// <summary>
    /// A part field by field: every batch record carries the parts its players changed, so this is on the hot path,
    /// where JSON took most of a commit's time. Times keep their offsets, as the outputs print them. The numbers go
    /// out as one block, as <see cref="BinaryWriter"/> would write them one by one (little-endian), with one write.
    /// </summary>
    private static void WritePart(BinaryWriter writer, PlayerProfile part)
    {
        writer.Write(part.GameId);
        writer.Write(part.UserId);
        ProfileBinary.WriteOptional(writer, part.Server);
        ProfileBinary.WriteTime(writer, part.ServerSince);
        ProfileBinary.WriteOptional(writer, part.Platform);
        ProfileBinary.WriteTime(writer, part.PlatformSince);

        Span<byte> numbers = stackalloc byte[NumbersLength];
        var at = 0;
        BinaryPrimitives.WriteInt32LittleEndian(numbers, part.Level);
        at += sizeof(int);
        Put(numbers, ref at, part.FirstSeen);
        Put(numbers, ref at, part.LastSeen);
        foreach (var mean in (ReadOnlySpan<DecayingMean>)[part.PvpResults, part.DungeonDifficulty, part.MainQuestShare])
        {
            Put(numbers, ref at, mean.Weighted);
            Put(numbers, ref at, mean.Weight);
        }

        foreach (var sum in (ReadOnlySpan<DecayingSum>)[part.PvpMatches, part.DungeonClears, part.PlaySeconds, part.Deaths, part.Sessions, part.MarketSales, part.MarketValue])
        {
            Put(numbers, ref at, sum);
        }

        BinaryPrimitives.WriteDoubleLittleEndian(numbers[at..], part.Spend);
        BinaryPrimitives.WriteInt64LittleEndian(numbers[(at + sizeof(double))..], part.Purchases);
        writer.Write(numbers);

        writer.Write(part.Applied.Count);
        foreach (var (position, sequence) in part.Applied)
        {
            writer.Write(position);
            writer.Write(sequence);
        }
    }

    /// <summary>Bytes of a part's numbers: the level, two times, three means of two sums, seven sums, spend and purchases.</summary>
    private const int NumbersLength = sizeof(int) + (2 * TimeLength) + (13 * SumLength) + sizeof(double) + sizeof(long);

    private const int TimeLength = sizeof(long) + sizeof(short);

    private const int SumLength = sizeof(double) + TimeLength;

    private static void Put(Span<byte> numbers, ref int at, DecayingSum sum)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(numbers[at..], sum.Value);
        at += sizeof(double);
        Put(numbers, ref at, sum.At);
    }

    private static void Put(Span<byte> numbers, ref int at, DateTimeOffset time)
    {
        BinaryPrimitives.WriteInt64LittleEndian(numbers[at..], time.Ticks);
        BinaryPrimitives.WriteInt16LittleEndian(numbers[(at + sizeof(long))..], (short)time.Offset.TotalMinutes);
        at += TimeLength;
    }

    private static PlayerProfile ReadPart(BinaryReader reader)
    {
        var part = PlayerProfile.New(reader.ReadString(), reader.ReadString()) with
        {
            Server = ProfileBinary.ReadOptional(reader),
            ServerSince = ProfileBinary.ReadTime(reader),
            Platform = ProfileBinary.ReadOptional(reader),
            PlatformSince = ProfileBinary.ReadTime(reader),
            Level = reader.ReadInt32(),
            FirstSeen = ProfileBinary.ReadTime(reader),
            LastSeen = ProfileBinary.ReadTime(reader),
            PvpResults = ReadMean(reader),
            DungeonDifficulty = ReadMean(reader),
            MainQuestShare = ReadMean(reader),
            PvpMatches = ReadSum(reader),
            DungeonClears = ReadSum(reader),
            PlaySeconds = ReadSum(reader),
            Deaths = ReadSum(reader),
            Sessions = ReadSum(reader),
            MarketSales = ReadSum(reader),
            MarketValue = ReadSum(reader),
            Spend = reader.ReadDouble(),
            Purchases = reader.ReadInt64(),
        };
        var applied = ImmutableDictionary.CreateBuilder<string, long>();
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            applied.Add(reader.ReadString(), reader.ReadInt64());
        }

        return part with { Applied = applied.ToImmutable() };
    }

    private static DecayingSum ReadSum(BinaryReader reader) => new(reader.ReadDouble(), ProfileBinary.ReadTime(reader));

    private static DecayingMean ReadMean(BinaryReader reader) => new(ReadSum(reader), ReadSum(reader));


    /// <summary>
    /// A player as the state holds them: their part as a running fold (a batch folds its facts in place, where a new part a
    /// batch made garbage that lived long enough to be collected from the oldest generation), since when it waits to be
    /// written, and what changed since the last record.
    /// </summary>
    public sealed class Player
    {
        private ProfileFeatures.Fold _features;
        private ImmutableDictionary<string, long> _applied = ImmutableDictionary<string, long>.Empty;
        private string? _position; // the position folded last, whose sequence number is not in _applied yet
        private long _last;
        private PlayerProfile? _part;

        internal Player((string GameId, string UserId) key, PlayerProfile part, DateTimeOffset? pendingSince)
        {
            Key = key;
            PendingSince = pendingSince;
            Start(part);
        }

        internal (string GameId, string UserId) Key { get; }

        /// <summary>
        /// The part as folded so far, kept until something is folded in or it is written, so that <see cref="Written"/>
        /// knows the part <see cref="Due"/> handed out.
        /// </summary>
        public PlayerProfile Part => _part ??= Build();

        internal DateTimeOffset LastSeen => _features.LastSeen;

        internal DateTimeOffset? PendingSince { get; set; }

        /// <summary>The player's entry in the changes since the last record, if any.</summary>
        internal Change? Change { get; set; }

        /// <summary>The last <see cref="PlayerBatch"/> grouping that met the player (0 for none), and their place in it.</summary>
        internal long GroupedIn { get; set; }

        internal int GroupedAs { get; set; }

        /// <summary>The last sequence number of <paramref name="position"/> folded in; <see cref="long.MinValue"/> for none.</summary>
        public long AppliedAt(string position) =>
            position == _position ? _last : _applied.TryGetValue(position, out var sequence) ? sequence : long.MinValue;

        /// <summary>Starts again from a part read from the store or a record.</summary>
        internal void Start(PlayerProfile part)
        {
            _features = new ProfileFeatures.Fold(part);
            (_applied, _position, _part) = (part.Applied, null, null);
        }

        internal void Fold(List<ProfileFact> facts, string position, long last)
        {
            foreach (var fact in facts)
            {
                _features.Apply(fact);
            }

            if (_position is not null && _position != position)
            {
                _applied = _applied.SetItem(_position, _last);
            }

            (_position, _last, _part) = (position, last, null);
        }

        /// <summary>The part as folded so far, for a record or a snapshot, without keeping it.</summary>
        internal PlayerProfile Build() => _part ?? _features.ToProfile(_position is null ? _applied : _applied.SetItem(_position, _last));

        /// <summary>Whether <paramref name="part"/> is the part as it stands (nothing folded in since it was taken); then it is let go.</summary>
        internal bool Written(PlayerProfile part)
        {
            if (!ReferenceEquals(_part, part))
            {
                return false;
            }

            _part = null;
            return true;
        }
    }

    /// <summary>What changed for a player since the last record: their part read whole, or the facts folded into it.</summary>
    internal sealed class Change
    {
        public bool Whole { get; set; }

        public List<ProfileFact> Facts { get; } = [];

        public string? Position { get; set; }

        public long Last { get; set; }

        /// <summary>The player was forgotten (<see cref="Evict"/>); nothing else about them matters.</summary>
        public bool Forgotten { get; set; }

        public void Clear()
        {
            Forgotten = false;
            Whole = false;
            Facts.Clear();
            Position = null;
        }
    }
}
