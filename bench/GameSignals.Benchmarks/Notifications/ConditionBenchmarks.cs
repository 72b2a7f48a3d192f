using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using GameSignals.Events;
using GameSignals.Notifications.Conditions;

namespace GameSignals.Benchmarks.Notifications;

/// <summary>
/// Evaluating the contract example's four rule conditions on an event against decoding that event
/// (decode + validate, the baseline). Goal: evaluation stays well under the cost of decoding.
/// </summary>
[MemoryDiagnoser]
public class ConditionBenchmarks
{
    private const int Count = 1024;
    private static readonly MessageOrigin Origin = new("game-events", "0", 1, "1", null);

    private static readonly (string EventType, Condition Condition)[] Rules =
    [
        ("game.character.hp_changed", Condition.Compile("data.autoBattle && data.hp * 5 < data.maxHp")),
        ("game.character.died", Condition.Compile("data.cause != 'pvp'")),
        ("game.market.item_sold", Condition.Compile("data.price * data.quantity >= 100000")),
        ("game.world.boss_spawned", Condition.Compile("has(data.bossLevel) && data.bossLevel >= 50 && data.zone in ['abyss', 'rift']")),
    ];

    private readonly List<GameEvent> _decoded = new(1);
    private readonly List<DeadLetter> _deadLetters = [];
    private byte[][] _messages = [];
    private (GameEvent Event, Condition Condition)[] _work = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _messages = Enumerable.Range(0, Count).Select(i => Encoding.UTF8.GetBytes(Message(i, random))).ToArray();
        var events = new List<GameEvent>();
        foreach (var message in _messages)
        {
            EventDecoder.Decode(message, Origin, events, _deadLetters);
        }

        _work = events.Select(e => (e, Rules.Single(r => r.EventType == e.Type).Condition)).ToArray();
        Console.WriteLine($"// {_work.Length} events, {_messages.Average(m => m.Length):F0} bytes on average");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public int Decode()
    {
        var n = 0;
        foreach (var message in _messages)
        {
            _decoded.Clear();
            EventDecoder.Decode(message, Origin, _decoded, _deadLetters);
            n += _decoded.Count;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int EvaluateCondition()
    {
        var n = 0;
        foreach (var (e, condition) in _work)
        {
            n += condition.Evaluate(e) == ConditionOutcome.Match ? 1 : 0;
        }

        return n;
    }

    private static string Message(int i, Random random)
    {
        var (type, data) = (i % 4) switch
        {
            0 => ("game.character.hp_changed", $$"""{"hp":{{random.Next(2000)}},"maxHp":{{(random.Next(2) == 0 ? "1600" : "1600.0")}},"autoBattle":{{(random.Next(2) == 0 ? "true" : "false")}},"inCombat":true,"zone":"z1"}"""),
            1 => ("game.character.died", $$"""{"zone":"forest","cause":"{{(random.Next(2) == 0 ? "pvp" : "monster")}}"}"""),
            2 => ("game.market.item_sold", $$"""{"itemId":"i{{i}}","itemName":"Relic {{i}}","quantity":{{random.Next(1, 5)}},"price":{{random.Next(100_000).ToString(CultureInfo.InvariantCulture)}}}"""),
            _ => ("game.world.boss_spawned", $$"""{"bossLevel":{{random.Next(100)}},"zone":"{{(random.Next(2) == 0 ? "abyss" : "forest")}}"}"""),
        };
        return $$"""{"specversion":"1.0","id":"e{{i}}","source":"/games/odin/kr-01","type":"{{type}}","time":"2026-11-01T12:00:00.000Z","gameid":"odin","userid":"u{{i}}","characterid":"c{{i}}","server":"kr-01","datacontenttype":"application/json","data":{{data}}}""";
    }
}
