using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using GameSignals.Events;

namespace GameSignals.Benchmarks.Events;

/// <summary>
/// Decode + validate of contract-shaped events (about 400 bytes each, the mix of the example stream)
/// against a bare <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> of the same bytes.
/// Goal: decoding costs at most 1.5x the bare parse. Decoding builds the typed payload but leaves <c>data</c> as
/// bytes until a rule condition reads a field; <see cref="DecodeThenReadData"/> is the cost when one does.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    public const int Events = 1024;

    private static readonly MessageOrigin Origin = new("game-events", "0", 1, "1", null);
    private readonly List<GameEvent> _events = new(1);
    private readonly List<DeadLetter> _deadLetters = [];
    private byte[][] _messages = [];

    [GlobalSetup]
    public void Setup()
    {
        // Valid events of every type from the contract's example stream, shortest first cut at ~400 bytes on average.
        _messages = BenchData.ExampleEventLines()
            .Where(l => l.Length < 600)
            .Take(Events)
            .Select(Encoding.UTF8.GetBytes)
            .ToArray();
        Console.WriteLine($"// {_messages.Length} events, {_messages.Average(m => m.Length):F0} bytes on average");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public int JsonDocumentParse()
    {
        var n = 0;
        foreach (var m in _messages)
        {
            using var doc = JsonDocument.Parse(m);
            n += doc.RootElement.GetArrayLength_SafeCount();
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public int DecodeAndValidate()
    {
        var n = 0;
        foreach (var m in _messages)
        {
            _events.Clear();
            EventDecoder.Decode(m, Origin, _events, _deadLetters);
            n += _events.Count;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public int DecodeThenReadData()
    {
        var n = 0;
        foreach (var m in _messages)
        {
            _events.Clear();
            EventDecoder.Decode(m, Origin, _events, _deadLetters);
            n += _events[0].Fields is null ? 0 : 1;
        }

        return n;
    }
}

internal static class JsonElementCount
{
    /// <summary>Touches the parsed document so the parse cannot be skipped.</summary>
    public static int GetArrayLength_SafeCount(this JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.GetArrayLength() : 1;
}
