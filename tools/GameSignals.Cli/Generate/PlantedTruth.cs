using GameSignals.Cli.Accuracy;
using GameSignals.Fraud;

namespace GameSignals.Cli.Generate;

/// <summary>
/// The generator's bookkeeping of what it planted, from which it writes <see cref="TruthFile"/>. It is a
/// second reading of the contract (§3, §4) in the simplest terms the generator's own choices allow, and
/// never runs the pipeline's code: a rule's planted match notifies unless the rule's previous notification
/// for the same key is younger than the cooldown (event time, stream order for one key); a reason's flag is
/// planted by the writer that chose the abuse, except the two that depend on other events: device farms
/// (distinct devices per game and address bucket in the window, counted here over every login) and receipt
/// replays (every use of a store order but the earliest by event time, then event id).
/// </summary>
internal sealed class PlantedTruth
{
    private readonly SortedDictionary<string, Tally> _rules = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Tally> _reasons = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Rule, string Key), long> _cooldownOpenedMs = [];
    private readonly Dictionary<(string Game, string Bucket), List<Sighting>> _logins = [];
    private readonly Dictionary<(string Store, string OrderId), List<Sighting>> _receiptUses = [];
    private long _sequence;

    public PlantedTruth()
    {
        foreach (var rule in SyntheticConfig.PlantedRules)
        {
            _rules[rule.Id] = new Tally();
        }

        foreach (var reason in FraudReasons.DefaultSeverities.Keys)
        {
            _reasons[reason] = new Tally();
        }
    }

    /// <summary>
    /// An event the generator made match <paramref name="rule"/>'s condition. In the rule's game it must
    /// notify unless the cooldown holds it back; in the other game it is a near miss.
    /// </summary>
    public void RuleMatch(PlantedRule rule, string gameId, string cooldownKey, long timeMs, EventId id)
    {
        var tally = _rules[rule.Id];
        if (gameId != rule.GameId)
        {
            tally.NearMisses++;
            return;
        }

        if (rule.Cooldown is { } cooldown)
        {
            var key = (rule.Id, cooldownKey);
            if (_cooldownOpenedMs.TryGetValue(key, out var opened) && timeMs - opened < (long)cooldown.TotalMilliseconds)
            {
                tally.HeldByCooldown++;
                return;
            }

            _cooldownOpenedMs[key] = timeMs;
        }

        tally.Expected.Add(id);
    }

    /// <summary>An event made to miss <paramref name="rule"/>'s condition narrowly: it must not notify.</summary>
    public void RuleNearMiss(PlantedRule rule) => _rules[rule.Id].NearMisses++;

    /// <summary>An event the generator made abusive for <paramref name="reason"/>: it must be flagged.</summary>
    public void Flag(string reason, EventId id) => _reasons[reason].Expected.Add(id);

    /// <summary>An event made to look like <paramref name="reason"/>'s abuse without being it: it must not be flagged.</summary>
    public void FlagNearMiss(string reason) => _reasons[reason].NearMisses++;

    public void Login(string gameId, string bucket, string deviceId, long timeMs, EventId id)
    {
        var key = (gameId, bucket);
        if (!_logins.TryGetValue(key, out var logins))
        {
            _logins[key] = logins = [];
        }

        logins.Add(new Sighting(_sequence++, timeMs, deviceId, id));
    }

    public void Purchase(string store, string orderId, long timeMs, EventId id)
    {
        var key = (store, orderId);
        if (!_receiptUses.TryGetValue(key, out var uses))
        {
            _receiptUses[key] = uses = [];
        }

        uses.Add(new Sighting(_sequence++, timeMs, orderId, id));
    }

    public TruthFile Finish(ulong seed, long lines, long poison, long duplicates)
    {
        PlantDeviceFarms();
        PlantReceiptReplays();
        return new TruthFile
        {
            Seed = seed,
            Lines = lines,
            Poison = poison,
            Duplicates = duplicates,
            Notifications = Outcomes(_rules, withCooldown: true),
            Flags = Outcomes(_reasons, withCooldown: false),
        };
    }

    /// <summary>
    /// A login at t is a farm's when its game and bucket saw more than the threshold of distinct devices
    /// among the logins in (t − window, t], later logins at the same t included; exactly the threshold is a near miss.
    /// </summary>
    private void PlantDeviceFarms()
    {
        var window = (long)SyntheticConfig.DeviceFarmWindow.TotalMilliseconds;
        var flagged = new List<Sighting>();
        foreach (var logins in _logins.Values)
        {
            logins.Sort((a, b) => a.TimeMs != b.TimeMs ? a.TimeMs.CompareTo(b.TimeMs) : a.Sequence.CompareTo(b.Sequence));
            var devices = new Dictionary<string, int>(StringComparer.Ordinal);
            var oldest = 0;
            for (var first = 0; first < logins.Count;)
            {
                var time = logins[first].TimeMs;
                var end = first;
                for (; end < logins.Count && logins[end].TimeMs == time; end++)
                {
                    devices[logins[end].Value] = devices.GetValueOrDefault(logins[end].Value) + 1;
                }

                for (; logins[oldest].TimeMs <= time - window; oldest++)
                {
                    var device = logins[oldest].Value;
                    if (--devices[device] == 0)
                    {
                        devices.Remove(device);
                    }
                }

                for (var i = first; i < end; i++)
                {
                    if (devices.Count > SyntheticConfig.MaxDevicesPerIp)
                    {
                        flagged.Add(logins[i]);
                    }
                    else if (devices.Count == SyntheticConfig.MaxDevicesPerIp)
                    {
                        _reasons[FraudReasons.DeviceFarm].NearMisses++;
                    }
                }

                first = end;
            }
        }

        foreach (var login in flagged.OrderBy(s => s.Sequence))
        {
            Flag(FraudReasons.DeviceFarm, login.Id);
        }
    }

    /// <summary>Every use of a store order but the first by event time, then by the ordinal order of event ids.</summary>
    private void PlantReceiptReplays()
    {
        var replays = new List<Sighting>();
        foreach (var uses in _receiptUses.Values.Where(u => u.Count > 1))
        {
            var first = uses.OrderBy(u => u.TimeMs).ThenBy(u => u.Id.ToString(), StringComparer.Ordinal).First();
            replays.AddRange(uses.Where(u => u != first));
        }

        foreach (var replay in replays.OrderBy(s => s.Sequence))
        {
            Flag(FraudReasons.ReceiptReplay, replay.Id);
        }
    }

    private static SortedDictionary<string, PlantedOutcome> Outcomes(SortedDictionary<string, Tally> tallies, bool withCooldown) =>
        new(tallies.ToDictionary(
            t => t.Key,
            t => new PlantedOutcome
            {
                NearMisses = t.Value.NearMisses,
                HeldByCooldown = withCooldown ? t.Value.HeldByCooldown : null,
                Expected = [.. t.Value.Expected.Select(id => id.ToString())],
            },
            StringComparer.Ordinal), StringComparer.Ordinal);

    private sealed class Tally
    {
        public List<EventId> Expected { get; } = [];

        public long NearMisses { get; set; }

        public long HeldByCooldown { get; set; }
    }

    /// <summary>A login (value: its device) or a purchase (value: its order), numbered in stream order.</summary>
    private sealed record Sighting(long Sequence, long TimeMs, string Value, EventId Id);
}
