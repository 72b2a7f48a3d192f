using System.Text;
using System.Text.Json;
using FsCheck.Xunit;
using GameSignals.Events;

namespace GameSignals.Core.Tests.Events;

public class DataFieldsTests
{
    private static readonly string[] Names = ["hp", "zone", "a\\u0062", "ab", "\\\"q\\\"", "nested", "list", "x y", "é"];

    [Property(MaxTest = 1000)]
    public bool Every_field_reads_as_the_json_reader_reads_the_member(int seed)
    {
        var random = new Random(seed);
        var json = Encoding.UTF8.GetBytes(RandomObject(random, depth: 0));
        var document = JsonDocument.Parse(json); // the decoder's guarantee: well-formed
        document.Dispose();

        var fields = DataFields.Read(json);
        var expected = new Dictionary<string, JsonMember>(StringComparer.Ordinal);
        var items = new JsonItems(json);
        while (items.MoveNext())
        {
            expected[Encoding.UTF8.GetString(items.Current.Name.Span)] = items.Current;
        }

        foreach (var (name, member) in expected)
        {
            if (!fields.TryGet(Encoding.UTF8.GetBytes(name), out var field)
                || field.Kind != member.Kind || field.Escaped != member.Escaped || !field.Value.Span.SequenceEqual(member.Value.Span))
            {
                return false;
            }
        }

        return !fields.TryGet("absent"u8, out _);
    }

    [Fact]
    public void Fields_of_data_inside_a_larger_message_lie_at_their_own_offsets()
    {
        var message = Encoding.UTF8.GetBytes("""{"data": { "hp" : 12 , "zone":"z\"1" ,"deep":[{"a":"]"},2] } }""");
        var start = Array.IndexOf(message, (byte)'{', 1);
        var fields = DataFields.Read(message.AsMemory(start, message.Length - start - 2));

        Assert.True(fields.TryGet("hp"u8, out var hp));
        Assert.Equal("12", Encoding.UTF8.GetString(hp.Value.Span));
        Assert.True(fields.TryGet("zone"u8, out var zone));
        Assert.Equal(("z\\\"1", true), (Encoding.UTF8.GetString(zone.Value.Span), zone.Escaped));
        Assert.True(fields.TryGet("deep"u8, out var deep));
        Assert.Equal(("""[{"a":"]"},2]""", JsonTokenType.StartArray), (Encoding.UTF8.GetString(deep.Value.Span), deep.Kind));
    }

    private static string RandomObject(Random random, int depth)
    {
        var members = Enumerable.Range(0, random.Next(depth == 0 ? 12 : 4))
            .Select(_ => $"{Space(random)}\"{Names[random.Next(Names.Length)]}\"{Space(random)}:{Space(random)}{RandomValue(random, depth)}{Space(random)}");
        return "{" + string.Join(",", members) + Space(random) + "}";
    }

    private static string RandomValue(Random random, int depth) => random.Next(depth < 3 ? 9 : 7) switch
    {
        0 => "\"" + new[] { "z1", "", "a\\\"b", "\\\\", "\\u00e9t\\u00e9", "}]{[,:", "é" }[random.Next(7)] + "\"",
        1 => new[] { "0", "-12", "3.25", "1e400", "-0.5E-3", "12345678901234567890" }[random.Next(6)],
        2 => "true",
        3 => "false",
        4 => "null",
        5 => random.Next(1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        6 => "\"plain\"",
        7 => RandomObject(random, depth + 1),
        _ => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Space(random) + RandomValue(random, depth + 1) + Space(random))) + "]",
    };

    private static string Space(Random random) => new[] { "", "", "", " ", "\n\t", "\r\n  " }[random.Next(6)];
}
