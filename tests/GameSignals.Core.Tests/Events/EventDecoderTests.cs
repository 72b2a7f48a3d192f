using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Xunit;
using GameSignals.Events;

namespace GameSignals.Core.Tests.Events;

public class EventDecoderTests
{
    private static readonly MessageOrigin Origin = new("game-events", "0", 42, "4200", null);

    private const string Valid = """
        {"specversion":"1.0","id":"e1","source":"/games/odin/kr-01","type":"game.character.hp_changed","time":"2026-11-01T12:00:00.000Z",
         "gameid":"odin","userid":"u1","characterid":"c1","server":"kr-01","datacontenttype":"application/json",
         "data":{"hp":120,"maxHp":1000.0,"autoBattle":true,"inCombat":false,"zone":"z1"}}
        """;

    private static (List<GameEvent> Events, List<DeadLetter> DeadLetters) Decode(string json)
    {
        var events = new List<GameEvent>();
        var dead = new List<DeadLetter>();
        EventDecoder.Decode(Encoding.UTF8.GetBytes(json), Origin, events, dead);
        return (events, dead);
    }

    [Fact]
    public void A_valid_event_decodes_with_its_envelope_and_typed_payload()
    {
        var (events, dead) = Decode(Valid);

        Assert.Empty(dead);
        var e = Assert.Single(events);
        Assert.Equal(new EventKey("/games/odin/kr-01", "e1"), e.Key);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero), e.Time);
        Assert.Equal(("odin", "u1", "c1", "kr-01"), (e.GameId, e.UserId, e.CharacterId, e.Server));
        var hp = Assert.IsType<HpChanged>(e.Payload);
        Assert.Equal(120, hp.Hp);
        Assert.Equal(1000, hp.MaxHp);
        Assert.True(hp.AutoBattle);
        Assert.Same(Origin, e.Origin);
    }

    [Fact]
    public void Repeated_and_changing_attributes_decode_to_each_event_own_values()
    {
        var other = Valid.Replace("kr-01", "eu-02", StringComparison.Ordinal).Replace("odin", "thor", StringComparison.Ordinal).Replace("\"e1\"", "\"e2\"", StringComparison.Ordinal);
        var escaped = Valid.Replace("\"server\":\"kr-01\"", "\"server\":\"kr\\u002d01\"", StringComparison.Ordinal).Replace("\"e1\"", "\"e3\"", StringComparison.Ordinal);

        var (events, dead) = Decode($"[{Valid}, {Valid.Replace("\"e1\"", "\"e4\"", StringComparison.Ordinal)}, {other}, {escaped}, {Valid}]");

        Assert.Empty(dead);
        Assert.Equal(
            [("odin", "kr-01", "/games/odin/kr-01"), ("odin", "kr-01", "/games/odin/kr-01"), ("thor", "eu-02", "/games/thor/eu-02"), ("odin", "kr-01", "/games/odin/kr-01"), ("odin", "kr-01", "/games/odin/kr-01")],
            events.Select(e => (e.GameId, e.Server!, e.Source)));
    }

    [Fact]
    public void More_distinct_values_than_are_kept_for_repeating_still_decode_each_to_its_own()
    {
        // More values than the decoder keeps strings for, so values share and take over its slots; some not ASCII, some long, some empty.
        var values = Enumerable.Range(0, 5000).Select(i => (i % 7) switch
        {
            0 => $"zoné-{i % 1500}",
            1 => $"z-{i % 1500}-{new string('x', 70)}",
            2 => "",
            _ => $"z{i % 1500}",
        }).ToList();
        var lines = values.Select((value, i) => Valid
            .Replace("kr-01", value, StringComparison.Ordinal)
            .Replace("\"z1\"", $"\"{value}\"", StringComparison.Ordinal)
            .Replace("\"e1\"", $"\"e{i}\"", StringComparison.Ordinal));

        var (events, dead) = Decode($"[{string.Join(',', lines)}]");

        Assert.Empty(dead);
        Assert.Equal(values, events.Select(e => e.Server));
        Assert.Equal(values.Select(value => $"/games/odin/{value}"), events.Select(e => e.Source));
        Assert.Equal(values, events.Select(e => ((HpChanged)e.Payload!).Zone));
    }

    [Fact]
    public void An_array_message_yields_each_event_and_dead_letters_only_the_bad_element()
    {
        var (events, dead) = Decode($"[{Valid}, 7, {Valid.Replace("\"e1\"", "\"e2\"", StringComparison.Ordinal)}]");

        Assert.Equal(["e1", "e2"], events.Select(e => e.Id));
        var letter = Assert.Single(dead);
        Assert.Equal(DeadLetterReasons.NotAnObject, letter.Reason);
        Assert.Equal(1, letter.IndexInMessage);
        Assert.Equal("7", Encoding.UTF8.GetString(letter.Body.Span));
    }

    [Fact]
    public void An_unknown_type_is_accepted_with_generic_data_and_no_typed_payload()
    {
        var (events, _) = Decode(Valid.Replace("game.character.hp_changed", "game.world.boss_spawned", StringComparison.Ordinal));

        var e = Assert.Single(events);
        Assert.Null(e.Payload);
        Assert.Equal(120, Data(e).GetProperty("hp").GetInt32());
    }

    [Fact]
    public void A_purchase_price_is_exact_decimal_and_the_receipt_kept_as_json()
    {
        var json = """
            {"specversion":"1.0","id":"p1","source":"/billing/odin","type":"payment.purchase.completed","time":"2026-11-01T12:00:00+09:00",
             "gameid":"odin","userid":"u1","data":{"orderId":"GPA.1","store":"google_play","productId":"gem_100","price":0.99,
             "currency":"USD","storeCountry":"US","receipt":{"purchaseData":"{}","signature":"AA=="}}}
            """;
        var e = Assert.Single(Decode(json).Events);
        var p = Assert.IsType<PurchaseCompleted>(e.Payload);
        Assert.Equal(0.99m, p.Price);
        Assert.Equal("AA==", p.Receipt.GetProperty("signature").GetString());
        Assert.Equal(TimeSpan.FromHours(9), e.Time.Offset);
    }

    [Theory]
    [InlineData("2026-11-01T12:00:00Z")]
    [InlineData("2026-11-01T12:00:00.123Z")]
    [InlineData("2026-11-01T12:00:00.0000000+00:00")]
    [InlineData("2026-11-01T21:00:00+09:00")]
    [InlineData("2026-11-01t12:00:00z")]
    public void Every_RFC_3339_form_of_the_time_decodes(string time)
    {
        var (events, dead) = Decode(Valid.Replace("2026-11-01T12:00:00.000Z", time, StringComparison.Ordinal));

        Assert.Empty(dead);
        var utc = Assert.Single(events).Time.UtcDateTime;
        Assert.Equal(new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc), utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond)));
    }

    [Theory]
    [InlineData("2024-02-29T23:59:59.999Z")]
    [InlineData("2023-02-29T12:00:00Z")]
    [InlineData("2026-04-31T12:00:00.000Z")]
    [InlineData("2026-11-01T24:00:00.000Z")]
    [InlineData("2026-11-01T12:60:00Z")]
    [InlineData("2026-11-01T12:00:60.000Z")]
    [InlineData("2026-13-01T12:00:00.000Z")]
    [InlineData("2026-00-01T12:00:00.000Z")]
    [InlineData("2026-11-00T12:00:00.000Z")]
    [InlineData("1970-01-01T00:00:00.000Z")]
    [InlineData("8999-12-31T23:59:59.999Z")]
    [InlineData("2026-11-01T12:00:00.5Z")]
    [InlineData("2026-11-01T12:00:00.1234567Z")]
    [InlineData("2026-11-01T12:00:0x.000Z")]
    [InlineData("2026-11-01 12:00:00.000Z")]
    public void The_producers_time_form_and_its_near_misses_decode_as_the_json_reader_reads_them(string time)
    {
        var (events, dead) = Decode(Valid.Replace("2026-11-01T12:00:00.000Z", time, StringComparison.Ordinal));

        var expected = TryReadTime(time);
        if (expected is { } instant && instant.Year is >= 1970 and < 9000)
        {
            Assert.Empty(dead);
            Assert.Equal(instant, Assert.Single(events).Time);
            Assert.Equal(TimeSpan.Zero, events[0].Time.Offset);
        }
        else
        {
            Assert.Empty(events);
            Assert.Equal(DeadLetterReasons.InvalidTime, Assert.Single(dead).Reason);
        }
    }

    [Property(MaxTest = 500)]
    public bool Any_producer_form_time_decodes_to_the_instant_the_json_reader_reads(DateTime when, bool milliseconds)
    {
        var time = when.ToString(milliseconds ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var (events, dead) = Decode(Valid.Replace("2026-11-01T12:00:00.000Z", time, StringComparison.Ordinal));

        return when.Year is >= 1970 and < 9000
            ? dead.Count == 0 && events.Single().Time == TryReadTime(time) && events[0].Time.Offset == TimeSpan.Zero
            : events.Count == 0 && dead.Single().Reason == DeadLetterReasons.InvalidTime;
    }

    [Property(MaxTest = 500)]
    public bool A_number_field_reads_as_the_json_reader_reads_its_double(long whole, int scale, bool negativeZero)
    {
        // Integers of every length (the short ones are read digit by digit), decimals and exponents.
        var text = negativeZero ? "-0" : (scale % 5) switch
        {
            0 => whole.ToString(System.Globalization.CultureInfo.InvariantCulture),
            1 => (whole / 1000.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            2 => $"{whole % 100_000}e{scale % 20}",
            3 => (whole % 10_000_000_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => Decimal(whole, scale),
        };
        var (events, _) = Decode(Valid.Replace("\"hp\":120", "\"hp\":" + text, StringComparison.Ordinal));

        var expected = JsonDocument.Parse(text).RootElement.GetDouble();
        var hp = Assert.IsType<HpChanged>(Assert.Single(events).Payload).Hp!.Value;
        return hp.Equals(expected) && double.IsNegative(hp) == double.IsNegative(expected);
    }

    /// <summary>A decimal of up to 17 digits with up to 16 after the point (the short ones are read digit by digit).</summary>
    internal static string Decimal(long whole, int scale)
    {
        var digits = (Math.Abs(whole % 100_000_000_000_000_000) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var point = Math.Min(Math.Abs(scale % 17), digits.Length - 1);
        return (whole < 0 ? "-" : "") + digits[..(digits.Length - point)] + (point > 0 ? "." + digits[^point..] : ".0");
    }

    /// <summary>The time as System.Text.Json reads a JSON string, or null when it reads none.</summary>
    private static DateTimeOffset? TryReadTime(string time)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes($"\"{time}\""));
        reader.Read();
        return reader.TryGetDateTimeOffset(out var instant) ? instant : null;
    }

    public static TheoryData<string, string, string> Poison => new()
    {
        { "{\"specversion\":\"1.0\",\"id\":\"x\"", DeadLetterReasons.InvalidJson, "" },
        { "", DeadLetterReasons.InvalidJson, "empty" },
        { "\"just a string\"", DeadLetterReasons.NotAnObject, "a string" },
        { Valid.Replace("\"userid\":\"u1\",", "", StringComparison.Ordinal), DeadLetterReasons.MissingAttribute, "'userid'" },
        { Valid.Replace("\"id\":\"e1\",", "", StringComparison.Ordinal), DeadLetterReasons.MissingAttribute, "'id'" },
        { Valid.Replace("\"specversion\":\"1.0\",", "", StringComparison.Ordinal), DeadLetterReasons.MissingAttribute, "'specversion'" },
        { Valid.Replace("\"specversion\":\"1.0\"", "\"specversion\":\"0.3\"", StringComparison.Ordinal), DeadLetterReasons.UnsupportedSpecVersion, "1.0" },
        { Valid.Replace("\"gameid\":\"odin\"", "\"gameid\":7", StringComparison.Ordinal), DeadLetterReasons.InvalidAttribute, "'gameid' must be a string" },
        { Valid.Replace("\"source\":\"/games/odin/kr-01\"", "\"source\":\"\"", StringComparison.Ordinal), DeadLetterReasons.InvalidAttribute, "'source' must not be empty" },
        { Valid.Replace("2026-11-01T12:00:00.000Z", "yesterday", StringComparison.Ordinal), DeadLetterReasons.InvalidTime, "yesterday" },
        { Valid.Replace("2026-11-01T12:00:00.000Z", "2026-11-01T12:00:00", StringComparison.Ordinal), DeadLetterReasons.InvalidTime, "RFC 3339" },
        { Valid.Replace("2026-11-01T12:00:00.000Z", "9999-12-31T23:59:59Z", StringComparison.Ordinal), DeadLetterReasons.InvalidTime, "years 1970 to 8999" },
        { Valid.Replace("2026-11-01T12:00:00.000Z", "0001-01-01T00:00:00Z", StringComparison.Ordinal), DeadLetterReasons.InvalidTime, "years 1970 to 8999" },
        { Valid.Replace("\"hp\":120", "\"hp\":\"lots\"", StringComparison.Ordinal), DeadLetterReasons.WrongType, "data.hp must be a number" },
        { Valid.Replace("\"autoBattle\":true", "\"autoBattle\":1", StringComparison.Ordinal), DeadLetterReasons.WrongType, "data.autoBattle must be a boolean" },
        { Valid.Replace("\"data\":{", "\"data\":[{", StringComparison.Ordinal).Replace("}}", "}]}", StringComparison.Ordinal), DeadLetterReasons.WrongType, "data must be a JSON object" },
        { Valid.Replace("application/json", "text/xml", StringComparison.Ordinal), DeadLetterReasons.InvalidAttribute, "datacontenttype" },
        { Valid.Replace("\"zone\":\"z1\"", "\"zone\":\"" + new string('x', EventDecoder.MaxEventBytes) + "\"", StringComparison.Ordinal), DeadLetterReasons.TooLarge, "over the limit" },
    };

    /// <summary>The same event with its data before its type: attribute order is the producer's choice.</summary>
    private static readonly string DataFirst = """
        {"specversion":"1.0","data":{"hp":120,"maxHp":1000.0,"autoBattle":true,"inCombat":false,"zone":"z1"},"id":"e1",
         "source":"/games/odin/kr-01","type":"game.character.hp_changed","time":"2026-11-01T12:00:00.000Z","gameid":"odin","userid":"u1"}
        """;

    [Fact]
    public void Data_before_its_type_decodes_to_the_same_typed_payload_and_data()
    {
        var before = Assert.Single(Decode(DataFirst).Events);
        var after = Assert.Single(Decode(Valid).Events);

        Assert.Equal(after.Payload, before.Payload);
        Assert.Equal(Data(after).GetRawText(), Data(before).GetRawText());
    }

    [Fact]
    public void Data_before_its_type_with_a_wrong_kind_is_dead_lettered_as_wrong_type()
    {
        var (events, dead) = Decode(DataFirst.Replace("\"zone\":\"z1\"", "\"zone\":[1]", StringComparison.Ordinal));

        Assert.Empty(events);
        Assert.Equal(DeadLetterReasons.WrongType, Assert.Single(dead).Reason);
        Assert.Equal("data.zone must be a string, was Array", dead[0].Detail);
    }

    [Fact]
    public void A_repeated_data_field_reads_its_last_value_in_the_payload_and_in_conditions_alike()
    {
        var (events, dead) = Decode(Valid.Replace("\"zone\":\"z1\"", "\"zone\":7,\"zone\":\"z2\"", StringComparison.Ordinal));

        Assert.Empty(dead);
        var e = Assert.Single(events);
        Assert.Equal("z2", Assert.IsType<HpChanged>(e.Payload).Zone);
        Assert.Equal("z2", Data(e).GetProperty("zone").GetString());
    }

    [Fact]
    public void A_known_type_without_data_has_a_payload_with_every_field_absent()
    {
        var (events, _) = Decode(Valid[..Valid.IndexOf("\"data\":{", StringComparison.Ordinal)] + "\"data\":null}");

        var e = Assert.Single(events);
        Assert.Equal(new HpChanged(null, null, null, null, null), e.Payload);
        Assert.Equal(JsonValueKind.Undefined, Data(e).ValueKind);
    }

    [Theory]
    [InlineData("1e400", "data.hp is out of the number range")]
    [InlineData("-1e309", "data.hp is out of the number range")]
    public void A_number_beyond_the_double_range_is_dead_lettered_instead_of_failing_a_stage(string hp, string detail)
    {
        var (events, dead) = Decode(Valid.Replace("\"hp\":120", "\"hp\":" + hp, StringComparison.Ordinal));

        Assert.Empty(events);
        Assert.Equal(DeadLetterReasons.WrongType, Assert.Single(dead).Reason);
        Assert.Equal(detail, dead[0].Detail);
    }

    [Theory]
    [MemberData(nameof(Poison))]
    public void Every_dead_letter_reason_of_the_contract_is_named_with_the_original_bytes(string json, string reason, string detail)
    {
        var (events, dead) = Decode(json);

        Assert.Empty(events);
        var letter = Assert.Single(dead);
        Assert.Equal(reason, letter.Reason);
        Assert.Contains(detail, letter.Detail, StringComparison.Ordinal);
        Assert.Equal(json, Encoding.UTF8.GetString(letter.Body.Span));
        Assert.Same(Origin, letter.Origin);
    }

    [Fact]
    public void A_too_large_event_still_names_its_id()
    {
        var (_, dead) = Decode(Valid.Replace("\"zone\":\"z1\"", "\"zone\":\"" + new string('x', 300_000) + "\"", StringComparison.Ordinal));
        Assert.Equal("e1", Assert.Single(dead).EventId);
    }

    [Fact]
    public void Every_poison_line_of_the_contract_example_is_dead_lettered_and_every_other_line_decodes()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryFiles.Examples, "events.jsonl"));
        var events = new List<GameEvent>();
        var dead = new List<DeadLetter>();
        foreach (var line in lines)
        {
            var before = events.Count + dead.Count;
            EventDecoder.Decode(Encoding.UTF8.GetBytes(line), Origin, events, dead);
            Assert.Equal(before + 1, events.Count + dead.Count);
        }

        Assert.Equal(7, dead.Count);
        Assert.Equal(lines.Length - 7, events.Count);
        Assert.Equal(
            [DeadLetterReasons.InvalidJson, DeadLetterReasons.MissingAttribute, DeadLetterReasons.UnsupportedSpecVersion,
             DeadLetterReasons.WrongType, DeadLetterReasons.InvalidTime, DeadLetterReasons.TooLarge, DeadLetterReasons.NotAnObject],
            dead.Select(d => d.Reason));
    }

    [Fact]
    public void A_borrowed_buffer_reused_after_each_line_leaves_every_event_and_dead_letter_as_decoded_from_its_own_copy()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryFiles.Examples, "events.jsonl")).Select(Encoding.UTF8.GetBytes).ToList();
        var (owned, ownedDead) = (new List<GameEvent>(), new List<DeadLetter>());
        var (borrowed, borrowedDead) = (new List<GameEvent>(), new List<DeadLetter>());
        var buffer = new byte[lines.Max(l => l.Length)];
        var slab = new ByteSlab();
        foreach (var line in lines)
        {
            EventDecoder.Decode(line.ToArray(), Origin, owned, ownedDead);
            line.CopyTo(buffer, 0);
            EventDecoder.Decode(buffer.AsMemory(0, line.Length), Origin, borrowed, borrowedDead, slab);
            buffer.AsSpan().Fill((byte)'#'); // the reader's next line
        }

        Assert.Equal(owned.Count, borrowed.Count);
        Assert.NotEmpty(ownedDead);
        for (var i = 0; i < owned.Count; i++)
        {
            Assert.Equal(owned[i].DataJson.ToArray(), borrowed[i].DataJson.ToArray());
            Assert.Equal(owned[i].Payload?.ToString(), borrowed[i].Payload?.ToString()); // as printed: a receipt is a JsonElement
            Assert.Equal((owned[i].Id, owned[i].UserId, owned[i].Time), (borrowed[i].Id, borrowed[i].UserId, borrowed[i].Time));
        }

        Assert.Equal(
            ownedDead.Select(d => (d.Reason, d.Detail, Encoding.UTF8.GetString(d.Body.Span))),
            borrowedDead.Select(d => (d.Reason, d.Detail, Encoding.UTF8.GetString(d.Body.Span))));
    }

    [Property(MaxTest = 2000)]
    public void Arbitrary_bytes_yield_events_or_dead_letters_and_never_throw(byte[] bytes)
    {
        var events = new List<GameEvent>();
        var dead = new List<DeadLetter>();
        EventDecoder.Decode(bytes ?? [], Origin, events, dead);
        Assert.True(events.Count + dead.Count >= 1);
    }

    [Property(MaxTest = 2000)]
    public void Mutated_valid_events_yield_events_or_dead_letters_and_never_throw(NonNegativeInt position, char replacement, bool delete)
    {
        var text = Valid;
        var at = position.Get % text.Length;
        text = delete ? text.Remove(at, 1) : text.Remove(at, 1).Insert(at, replacement.ToString());
        var events = new List<GameEvent>();
        var dead = new List<DeadLetter>();
        EventDecoder.Decode(Encoding.UTF8.GetBytes(text), Origin, events, dead);
        Assert.Equal(1, events.Count + dead.Count);
    }

    [Property(MaxTest = 300)]
    public bool A_truncated_event_or_batch_is_dead_lettered_whole_with_its_bytes(NonNegativeInt cut, bool batch)
    {
        var text = batch ? $"[{Valid},{Valid.Replace("\"e1\"", "\"e2\"", StringComparison.Ordinal)}]" : Valid;
        var bytes = Encoding.UTF8.GetBytes(text);
        var prefix = bytes[..(cut.Get % bytes.Length)];
        var events = new List<GameEvent>();
        var dead = new List<DeadLetter>();

        EventDecoder.Decode(prefix, Origin, events, dead);

        return events.Count == 0 && dead.Count == 1 && dead[0].Reason == DeadLetterReasons.InvalidJson && dead[0].Body.Span.SequenceEqual(prefix);
    }

    [Property(MaxTest = 100)]
    public bool Deep_nesting_in_data_or_around_the_event_never_throws_and_past_64_levels_is_invalid_json(PositiveInt levels, bool inData)
    {
        var depth = levels.Get % 3000;
        var nested = string.Concat(Enumerable.Repeat("[", depth)) + "1" + string.Concat(Enumerable.Repeat("]", depth));
        var text = inData
            ? Valid.Replace("\"zone\":\"z1\"", "\"zone\":\"z1\",\"deep\":" + nested, StringComparison.Ordinal)
            : string.Concat(Enumerable.Repeat("[", depth)) + Valid + string.Concat(Enumerable.Repeat("]", depth));
        var events = new List<GameEvent>();
        var dead = new List<DeadLetter>();

        EventDecoder.Decode(Encoding.UTF8.GetBytes(text), Origin, events, dead);

        // Below the nesting sit the event object and its data object: two more levels.
        return depth + 2 > 64 ? events.Count == 0 && dead.Count == 1 && dead[0].Reason == DeadLetterReasons.InvalidJson : events.Count + dead.Count >= 1;
    }

    [Property(MaxTest = 50)]
    public bool An_event_is_too_large_exactly_when_its_bytes_exceed_the_limit(int offset)
    {
        var padding = EventDecoder.MaxEventBytes - Encoding.UTF8.GetByteCount(Valid) - ",\"pad\":\"\"".Length + (offset % 64);
        var text = Valid.Replace("\"id\":\"e1\",", $"\"id\":\"e1\",\"pad\":\"{new string('x', padding)}\",", StringComparison.Ordinal);
        var size = Encoding.UTF8.GetByteCount(text);
        var (events, dead) = Decode(text);

        return size > EventDecoder.MaxEventBytes
            ? events.Count == 0 && dead.Single().Reason == DeadLetterReasons.TooLarge && dead[0].EventId == "e1"
            : dead.Count == 0 && events.Single().Id == "e1";
    }

    private static readonly byte[][] UnreadableStrings =
    [
        "\\ud800"u8.ToArray(), "\\udc00x"u8.ToArray(), "a\\ud83d"u8.ToArray(), [0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x01],
    ];

    [Property(MaxTest = 200)]
    public bool An_attribute_or_data_string_that_is_not_unicode_is_dead_lettered_and_never_throws(NonNegativeInt which, NonNegativeInt where)
    {
        // The places a string value can be: each envelope attribute, an extension, a typed and an untyped data field, a property name.
        string[] places = ["\"e1\"", "\"/games/odin/kr-01\"", "\"game.character.hp_changed\"", "\"odin\"", "\"u1\"", "\"c1\"", "\"kr-01\"", "\"z1\"", "\"zone\"", "\"maxHp\""];
        var place = places[where.Get % places.Length];
        var at = Valid.IndexOf(place, StringComparison.Ordinal) + 1;
        var bytes = Encoding.UTF8.GetBytes(Valid[..at]).Concat(UnreadableStrings[which.Get % UnreadableStrings.Length]).Concat(Encoding.UTF8.GetBytes(Valid[at..])).ToArray();
        var events = new List<GameEvent>();
        var dead = new List<DeadLetter>();

        EventDecoder.Decode(bytes, Origin, events, dead);

        // Whatever is decoded must be usable downstream: every string of its data readable.
        return events.Count + dead.Count == 1 && events.All(e => Readable(Data(e)));
    }

    /// <summary>The event's data as a document, as a consumer of its bytes reads them; undefined when it has none.</summary>
    private static JsonElement Data(GameEvent e) => e.DataJson.IsEmpty ? default : JsonDocument.Parse(e.DataJson).RootElement;

    private static bool Readable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                return element.EnumerateObject().All(p => Readable(p.Value));
            case JsonValueKind.Array:
                return element.EnumerateArray().All(Readable);
            case JsonValueKind.String:
                _ = element.GetString();
                return true;
            default:
                return true;
        }
    }
}
