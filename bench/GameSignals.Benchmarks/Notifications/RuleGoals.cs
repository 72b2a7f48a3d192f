using System.Globalization;
using System.Text;
using GameSignals.Benchmarks.Components;
using GameSignals.Events;
using GameSignals.Notifications.Conditions;

namespace GameSignals.Benchmarks.Notifications;

/// <summary>
/// Issue 14's rule line: evaluating a game's 100 rules costs less than decoding, on the example stream's mix of
/// event types. Each event is decoded afresh and then meets every rule of its type (about eight: the hundred are
/// spread over the types), so the cost includes parsing <c>data</c> on the first field a condition reads, as in the
/// pipeline. The rules' conditions are the shapes studios write: comparisons, arithmetic, lists, string functions.
/// </summary>
internal static class RuleGoals
{
    private const int RulesPerGame = 100;
    private const int Passes = 50;
    private static readonly MessageOrigin Origin = new("game-events", "0", 1, "1", null);

    /// <summary>Condition shapes per event type; <c>{n}</c> varies from rule to rule.</summary>
    private static readonly (string Type, string[] Shapes)[] Templates =
    [
        (EventTypes.HpChanged, ["data.autoBattle && data.hp * {n} < data.maxHp", "data.hp < {n}0 && data.inCombat", "data.zone == 'z{n}' || data.hp == 0"]),
        (EventTypes.PvpMatchEnded, ["data.result == 'loss' && data.rating < {n}00", "data.rating >= {n}000"]),
        (EventTypes.DungeonCleared, ["data.durationSeconds < {n}00 && data.difficulty >= 3", "data.dungeonId in ['abyss-{n}', 'rift-{n}', 'd{n}']"]),
        (EventTypes.ItemSold, ["data.price * data.quantity >= {n}0000", "data.itemName.contains('Relic') && data.price > {n}000"]),
        (EventTypes.AutoBattleStopped, ["data.reason == 'inventory_full'", "data.reason != 'user' && characterid.startsWith('c{n}')"]),
        (EventTypes.QuestCompleted, ["data.main && data.questId.startsWith('q{n}')"]),
        (EventTypes.SessionStarted, ["data.platform == 'android' && data.clientVersion < '1.{n}'", "data.locale in ['ko', 'en', 'ja']"]),
        (EventTypes.CharacterDied, ["data.cause != 'pvp' && data.zone == 'z{n}'"]),
        (EventTypes.SessionEnded, ["data.durationSeconds > {n}00"]),
        (EventTypes.LevelUp, ["data.level % 10 == 0 && data.level >= {n}"]),
        (EventTypes.PurchaseCompleted, ["data.price >= {n}.99 && data.currency == 'USD'"]),
        ("game.world.boss_spawned", ["has(data.bossLevel) && data.bossLevel >= {n}0"]),
    ];

    public static IEnumerable<GoalLine> Measure()
    {
        var rules = Rules();
        var messages = BenchData.ExampleEventLines()
            .Take(2048)
            .Select(Encoding.UTF8.GetBytes)
            .ToArray();
        var events = new List<GameEvent>(1);
        var deadLetters = new List<DeadLetter>();
        var evaluated = 0;

        int Pass(bool evaluate)
        {
            var matched = 0;
            foreach (var message in messages)
            {
                events.Clear();
                EventDecoder.Decode(message, Origin, events, deadLetters);
                if (evaluate && events.Count == 1 && rules.TryGetValue(events[0].Type, out var ofType))
                {
                    foreach (var condition in ofType)
                    {
                        matched += condition.Evaluate(events[0]) == ConditionOutcome.Match ? 1 : 0;
                        evaluated++;
                    }
                }

                deadLetters.Clear();
            }

            return matched;
        }

        var (decode, evaluation, _) = ComponentGoals.PairedCpuSecondsPerPass(Passes, () => _ = Pass(evaluate: false), () => _ = Pass(evaluate: true));
        evaluated = 0;
        Pass(evaluate: true);
        var evaluationsPerEvent = (double)evaluated / messages.Length;
        yield return new GoalLine(
            "rules.evaluation_vs_decode",
            $"{ComponentGoals.Number(evaluation / decode)}x the cost of decoding ({RulesPerGame} rules a game, " +
            $"{evaluationsPerEvent.ToString("0.0", CultureInfo.InvariantCulture)} evaluated an event on the example mix, " +
            $"{ComponentGoals.Number(evaluation / messages.Length * 1e9)} ns against {ComponentGoals.Number(decode / messages.Length * 1e9)} ns)",
            "< 1x",
            evaluation < decode);
    }

    /// <summary>A game's hundred rules, spread over the types round-robin, their shapes cycled.</summary>
    private static Dictionary<string, List<Condition>> Rules()
    {
        var rules = new Dictionary<string, List<Condition>>(StringComparer.Ordinal);
        for (var i = 0; i < RulesPerGame; i++)
        {
            var (type, shapes) = Templates[i % Templates.Length];
            var round = i / Templates.Length;
            var text = shapes[round % shapes.Length].Replace("{n}", (round + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            (rules.TryGetValue(type, out var ofType) ? ofType : rules[type] = []).Add(Condition.Compile(text));
        }

        return rules;
    }
}
