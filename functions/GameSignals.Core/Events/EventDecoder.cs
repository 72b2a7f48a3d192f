using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace GameSignals.Events;

/// <summary>
/// Decodes one Event Hubs message body (a CloudEvent object or a JSON array of them, contract §1)
/// into validated events and dead letters. Never throws on content: every byte sequence yields
/// events, dead letters, or both.
/// </summary>
/// <remarks>
/// Hand-written over <see cref="Utf8JsonReader"/> rather than CloudNative.CloudEvents: the SDK's
/// formatter materialises every attribute through a generic object model and cannot tell the
/// contract's reasons apart (missing attribute, wrong type, bad time). This reader makes one pass: it checks
/// the envelope and builds the typed payload of the <c>data</c> object as it goes, and keeps <c>data</c>'s bytes
/// for the rule conditions, which read them only when one reads a field (<see cref="GameEvent.Fields"/>).
/// The decoded events and dead letters refer to the message body's memory: the caller must not reuse it, unless it
/// passes a <see cref="ByteSlab"/>, into which what the events keep is then copied (dead letters get copies of their own).
/// </remarks>
public static class EventDecoder
{
    /// <summary>The contract's size limit of one event.</summary>
    public const int MaxEventBytes = 256 * 1024;

    /// <summary>
    /// Event times outside [1970, 9000) are a producer's clock fault, not a game's. Every window (cooldowns, device
    /// farms, decays, retentions) adds to or subtracts from the time, and at 0001 or 9999 that arithmetic would fail
    /// in a stage on every redelivery, blocking the partition: such an event is dead-lettered as invalid_time.
    /// </summary>
    public static readonly DateTimeOffset EarliestTime = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant refused as too late (see <see cref="EarliestTime"/>).</summary>
    public static readonly DateTimeOffset LatestTime = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <param name="borrowed">
    /// Set when <paramref name="body"/> is a reader's buffer that is reused once this returns: each event's <c>data</c> is
    /// copied into it, and each dead letter's bytes into an array of their own.
    /// </param>
    public static void Decode(
        ReadOnlyMemory<byte> body, MessageOrigin origin, ICollection<GameEvent> events, ICollection<DeadLetter> deadLetters, ByteSlab? borrowed = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(deadLetters);

        var span = body.Span;
        if (span.Trim(" \t\r\n"u8).IsEmpty)
        {
            deadLetters.Add(Letter(DeadLetterReasons.InvalidJson, "the message is empty", null, null, body, origin, 0, borrowed));
            return;
        }

        // The reader accepts strings that are not Unicode (invalid UTF-8, lone surrogate escapes) and fails only when
        // one is read, which could be in a stage, batch after batch. Invalid UTF-8 is refused here (one vectorised
        // ASCII check, the full one only for a message that is not ASCII); escapes, rare in events, are checked only
        // in a message that has a backslash followed by a u.
        var ascii = Ascii.IsValid(span);
        if (!ascii && !Utf8.IsValid(span))
        {
            deadLetters.Add(Letter(DeadLetterReasons.InvalidJson, "the message is not valid UTF-8", null, null, body, origin, 0, borrowed));
            return;
        }

        var text = new TextReading(
            Ascii: ascii,
            CheckEscapes: span.Contains((byte)'\\') && span.IndexOf("\\u"u8) >= 0,
            Repeated: RepeatedStrings.Current,
            Borrowed: borrowed);

        try
        {
            // The reader's default options are the contract's: no comments, at most 64 levels of nesting.
            var reader = new Utf8JsonReader(span);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                DecodeArray(body, ref reader, origin, text, events, deadLetters);
                return;
            }

            var single = DecodeValue(body, ref reader, origin, 0, text);
            RequireEnd(ref reader);
            single.AddTo(events, deadLetters);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: an attribute with a lone surrogate escape fails when it is read.
            deadLetters.Add(Letter(DeadLetterReasons.InvalidJson, ex.Message, null, null, body, origin, 0, borrowed));
        }
    }

    /// <summary>
    /// An array's elements, collected first and committed only when the whole message is well-formed JSON: a message
    /// whose array breaks half way is dead-lettered whole, with its bytes (the caller catches the reader's exception).
    /// </summary>
    private static void DecodeArray(
        ReadOnlyMemory<byte> body, ref Utf8JsonReader reader, MessageOrigin origin, TextReading text, ICollection<GameEvent> events, ICollection<DeadLetter> deadLetters)
    {
        var decoded = new List<Decoded>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            decoded.Add(DecodeValue(body, ref reader, origin, decoded.Count, text));
        }

        RequireEnd(ref reader);
        foreach (var d in decoded)
        {
            d.AddTo(events, deadLetters);
        }
    }

    private static void RequireEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("unexpected content after the end of the JSON value");
        }
    }

    /// <summary>
    /// How a message's strings are read: <see cref="Ascii"/> when it is all ASCII (strings are then widened byte by
    /// byte); <see cref="CheckEscapes"/> when it has <c>\u</c> escapes (data's strings are then read once to refuse lone
    /// surrogates); <see cref="Repeated"/> is this thread's strings for values that repeat, looked up once a message;
    /// <see cref="Borrowed"/> is where kept bytes are copied when the body is borrowed.
    /// </summary>
    private readonly record struct TextReading(bool Ascii, bool CheckEscapes, RepeatedStrings Repeated, ByteSlab? Borrowed);

    /// <summary>A dead letter keeping <paramref name="bytes"/>, copied when they are a borrowed body's.</summary>
    private static DeadLetter Letter(
        string reason, string detail, string? eventId, string? source, ReadOnlyMemory<byte> bytes, MessageOrigin origin, int index, ByteSlab? borrowed) =>
        new(reason, detail, eventId, source, borrowed is null ? bytes : bytes.ToArray(), origin, index);

    /// <summary>What one value of a message decoded to: an event or a dead letter.</summary>
    private readonly record struct Decoded(GameEvent? Event, DeadLetter? DeadLetter)
    {
        public void AddTo(ICollection<GameEvent> events, ICollection<DeadLetter> deadLetters)
        {
            if (Event is not null)
            {
                events.Add(Event);
            }
            else
            {
                deadLetters.Add(DeadLetter!);
            }
        }
    }

    private static Decoded DecodeValue(ReadOnlyMemory<byte> body, ref Utf8JsonReader reader, MessageOrigin origin, int index, TextReading text)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            var raw = body[start..(int)reader.BytesConsumed];
            return new(null, Letter(DeadLetterReasons.NotAnObject, Details.NotAnObject(raw.Span), null, null, raw, origin, index, text.Borrowed));
        }

        var envelope = new Envelope(text);
        envelope.Read(ref reader);
        var bytes = body[start..(int)reader.BytesConsumed];

        if (bytes.Length > MaxEventBytes)
        {
            return new(null, Letter(DeadLetterReasons.TooLarge, Details.TooLarge(bytes.Length), envelope.Id, envelope.Source, bytes, origin, index, text.Borrowed));
        }

        if (envelope.Error is { } error)
        {
            return new(null, Letter(error.Reason, error.Detail, envelope.Id, envelope.Source, bytes, origin, index, text.Borrowed));
        }

        var data = envelope.DataEnd > 0 ? body[envelope.DataStart..envelope.DataEnd] : ReadOnlyMemory<byte>.Empty;
        var payload = ReferenceEquals(envelope.PayloadType, envelope.Type)
            ? envelope.Payload
            : PayloadReader.Read(envelope.Type!, data.Span, text.Ascii, text.Repeated, out envelope.PayloadError);
        if (envelope.PayloadError is { } payloadError)
        {
            return new(null, Letter(DeadLetterReasons.WrongType, payloadError, envelope.Id, envelope.Source, bytes, origin, index, text.Borrowed));
        }

        return new(new GameEvent
        {
            Id = envelope.Id!,
            Source = envelope.Source!,
            Type = envelope.Type!,
            Time = envelope.Time,
            GameId = envelope.GameId!,
            UserId = envelope.UserId!,
            CharacterId = envelope.CharacterId,
            Server = envelope.Server,
            DataJson = text.Borrowed is { } slab ? slab.Copy(data.Span) : data,
            Payload = payload,
            Origin = origin,
        }, null);
    }

    /// <summary>
    /// The details of dead letters, built out of line: inlined into the reads, their string building widened the stack
    /// frame that every event's read zeroes by a few hundred bytes.
    /// </summary>
    private static class Details
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static string NotAnObject(ReadOnlySpan<byte> raw) => $"expected a CloudEvent object, found {Describe(raw)}";

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static string TooLarge(int length) => $"the event is {length} bytes, over the limit of {MaxEventBytes}";

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static string NotAString(string name, JsonTokenType token) => $"attribute '{name}' must be a string, was {token}";

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static string Empty(string name) => $"attribute '{name}' must not be empty";

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static string ContentType(ref Utf8JsonReader reader) =>
            $"datacontenttype must be application/json, was {(reader.TokenType == JsonTokenType.String ? $"\"{reader.GetString()}\"" : reader.TokenType.ToString())}";

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static string Time(ref Utf8JsonReader reader, string problem) => $"time \"{reader.GetString()}\" {problem}";

        private static string Describe(ReadOnlySpan<byte> raw) => raw.Length == 0 ? "nothing" : raw[0] switch
        {
            (byte)'"' => "a string",
            (byte)'[' => "an array",
            (byte)'t' or (byte)'f' => "a boolean",
            (byte)'n' => "null",
            _ => "a number",
        };
    }

    private readonly record struct Failure(string Reason, string Detail);

    /// <summary>The envelope attributes of one event, read in a single pass.</summary>
    private struct Envelope(TextReading strings)
    {
        private bool _hasSpecVersion;
        private bool _hasTime;

        public string? Id;
        public string? Source;
        public string? Type;
        public string? GameId;
        public string? UserId;
        public string? CharacterId;
        public string? Server;
        public DateTimeOffset Time;
        public Failure? Error;

        /// <summary>Where the (last) data object lies in the message; <see cref="DataEnd"/> is 0 when there is none.</summary>
        public int DataStart;
        public int DataEnd;

        /// <summary>The payload read in the pass, and the type it was read as (null when the type came after the data).</summary>
        public EventPayload? Payload;
        public string? PayloadType;
        public string? PayloadError;

        public readonly TextReading Strings = strings;

        public void Read(ref Utf8JsonReader reader)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                switch (Classify(ref reader))
                {
                    case Attribute.SpecVersion:
                        reader.Read();
                        _hasSpecVersion = true;
                        if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("1.0"u8))
                        {
                            Fail(DeadLetterReasons.UnsupportedSpecVersion, "specversion must be \"1.0\"");
                        }

                        reader.Skip();
                        break;
                    case Attribute.Id: Id = RequiredString(ref reader, "id"); break;
                    case Attribute.Source: Source = RequiredString(ref reader, "source", repeats: true); break;
                    case Attribute.Type: Type = RequiredString(ref reader, "type", repeats: true); break;
                    case Attribute.GameId: GameId = RequiredString(ref reader, "gameid", repeats: true); break;
                    case Attribute.UserId: UserId = RequiredString(ref reader, "userid"); break;
                    case Attribute.CharacterId: CharacterId = OptionalString(ref reader, "characterid", repeats: false); break;
                    case Attribute.Server: Server = OptionalString(ref reader, "server", repeats: true); break;
                    case Attribute.Time: ReadTime(ref reader); break;
                    case Attribute.DataContentType:
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.Null
                            && (reader.TokenType != JsonTokenType.String || !reader.ValueSpan.StartsWith("application/json"u8)))
                        {
                            Fail(DeadLetterReasons.InvalidAttribute, Details.ContentType(ref reader));
                        }

                        reader.Skip();
                        break;
                    case Attribute.Data:
                        ReadData(ref reader);
                        break;
                    default:
                        // Other extension attributes are accepted and ignored.
                        reader.Read();
                        reader.Skip();
                        break;
                }
            }

            if (!_hasSpecVersion) { Fail(DeadLetterReasons.MissingAttribute, "missing required attribute 'specversion'"); }
            if (Id is null) { Fail(DeadLetterReasons.MissingAttribute, "missing required attribute 'id'"); }
            if (Source is null) { Fail(DeadLetterReasons.MissingAttribute, "missing required attribute 'source'"); }
            if (Type is null) { Fail(DeadLetterReasons.MissingAttribute, "missing required attribute 'type'"); }
            if (!_hasTime) { Fail(DeadLetterReasons.MissingAttribute, "missing required attribute 'time'"); }
            if (GameId is null) { Fail(DeadLetterReasons.MissingAttribute, "missing required attribute 'gameid'"); }
            if (UserId is null) { Fail(DeadLetterReasons.MissingAttribute, "missing required attribute 'userid'"); }
        }

        private enum Attribute { Other, SpecVersion, Id, Source, Type, Time, GameId, UserId, CharacterId, Server, DataContentType, Data }

        /// <summary>Names the attribute at the reader by length first: one comparison per property on the hot path.</summary>
        private static Attribute Classify(ref Utf8JsonReader reader)
        {
            var name = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
            return name.Length switch
            {
                2 when name.SequenceEqual("id"u8) => Attribute.Id,
                4 when name.SequenceEqual("type"u8) => Attribute.Type,
                4 when name.SequenceEqual("time"u8) => Attribute.Time,
                4 when name.SequenceEqual("data"u8) => Attribute.Data,
                6 when name.SequenceEqual("source"u8) => Attribute.Source,
                6 when name.SequenceEqual("gameid"u8) => Attribute.GameId,
                6 when name.SequenceEqual("userid"u8) => Attribute.UserId,
                6 when name.SequenceEqual("server"u8) => Attribute.Server,
                11 when name.SequenceEqual("specversion"u8) => Attribute.SpecVersion,
                11 when name.SequenceEqual("characterid"u8) => Attribute.CharacterId,
                15 when name.SequenceEqual("datacontenttype"u8) => Attribute.DataContentType,
                _ => Attribute.Other,
            };
        }

        private void ReadData(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                if (Strings.CheckEscapes)
                {
                    RequireUnicodeEscapes(reader);
                }

                DataStart = (int)reader.TokenStartIndex;
                if (Type is not null)
                {
                    Payload = PayloadReader.Read(Type, ref reader, Strings.Ascii, Strings.Repeated, out PayloadError);
                    PayloadType = Type;
                }
                else
                {
                    reader.Skip();
                }

                DataEnd = (int)reader.BytesConsumed;
                return;
            }

            if (reader.TokenType != JsonTokenType.Null)
            {
                Fail(DeadLetterReasons.WrongType, "data must be a JSON object");
            }

            (DataStart, DataEnd, PayloadType) = (0, 0, null);
            reader.Skip();
        }

        /// <summary>Throws when an escaped string or name in the object at (a copy of) the reader is not Unicode.</summary>
        private static void RequireUnicodeEscapes(Utf8JsonReader reader)
        {
            var depth = reader.CurrentDepth;
            while (reader.Read() && reader.CurrentDepth > depth)
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }

        private void ReadTime(ref Utf8JsonReader reader)
        {
            reader.Read();
            _hasTime = true;
            if (reader.TokenType != JsonTokenType.String)
            {
                Fail(DeadLetterReasons.InvalidAttribute, "time must be a string");
                reader.Skip();
                return;
            }

            // RFC 3339 requires an offset or Z; the reader's ISO 8601 parser would take local time too.
            var raw = reader.HasValueSequence ? default : reader.ValueSpan;
            var hasZone = raw.Length > 19 && (raw[^1] is (byte)'Z' or (byte)'z' || raw[^6] is (byte)'+' or (byte)'-');
            if (!hasZone || !(TryParseProducerForm(raw, out Time) || reader.TryGetDateTimeOffset(out Time) || TryParseLowerCaseForm(reader.GetString()!, out Time)))
            {
                Fail(DeadLetterReasons.InvalidTime, Details.Time(ref reader, "is not an RFC 3339 timestamp"));
            }
            else if (Time < EarliestTime || Time >= LatestTime)
            {
                Fail(DeadLetterReasons.InvalidTime, Details.Time(ref reader, "is outside the years 1970 to 8999"));
            }
        }

        /// <summary>
        /// The form producers write, <c>2026-11-01T12:00:00.000Z</c> (the milliseconds optional), read digit by digit:
        /// the reader's ISO 8601 parser cost more than the rest of the envelope. Any other form, or a field out of its
        /// range, is left to that parser, which decides; so this one gives the same instant or nothing.
        /// </summary>
        private static bool TryParseProducerForm(ReadOnlySpan<byte> raw, out DateTimeOffset time)
        {
            time = default;
            if (raw.Length is not (20 or 24) || raw[4] != '-' || raw[7] != '-' || raw[10] != 'T' || raw[13] != ':' || raw[16] != ':'
                || raw[^1] != 'Z' || (raw.Length == 24 && raw[19] != '.'))
            {
                return false;
            }

            var millisecond = 0;
            if (!TryDigits(raw[..4], out var year) || !TryDigits(raw[5..7], out var month) || !TryDigits(raw[8..10], out var day)
                || !TryDigits(raw[11..13], out var hour) || !TryDigits(raw[14..16], out var minute) || !TryDigits(raw[17..19], out var second)
                || (raw.Length == 24 && !TryDigits(raw[20..23], out millisecond)))
            {
                return false;
            }

            if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }

            time = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);
            return true;
        }

        private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
        {
            value = 0;
            foreach (var b in text)
            {
                var digit = b - '0';
                if ((uint)digit > 9)
                {
                    return false;
                }

                value = (value * 10) + digit;
            }

            return true;
        }

        /// <summary>RFC 3339 allows a lower-case <c>t</c> and <c>z</c>, which the reader's ISO 8601 parser refuses.</summary>
        private static bool TryParseLowerCaseForm(string text, out DateTimeOffset time)
        {
            time = default;
            return text.AsSpan().ContainsAny('t', 'z')
                && DateTimeOffset.TryParse(text.ToUpperInvariant(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out time);
        }

        private string? RequiredString(ref Utf8JsonReader reader, string name, bool repeats = false)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                var value = ReadString(ref reader, repeats);
                if (value.Length > 0)
                {
                    return value;
                }

                Fail(DeadLetterReasons.InvalidAttribute, Details.Empty(name));
                return value;
            }

            Fail(DeadLetterReasons.InvalidAttribute, Details.NotAString(name, reader.TokenType));
            reader.Skip();
            return reader.TokenType == JsonTokenType.Null ? null : string.Empty;
        }

        private string? OptionalString(ref Utf8JsonReader reader, string name, bool repeats)
        {
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return ReadString(ref reader, repeats);
                case JsonTokenType.Null:
                    return null;
                default:
                    Fail(DeadLetterReasons.InvalidAttribute, Details.NotAString(name, reader.TokenType));
                    reader.Skip();
                    return null;
            }
        }

        private readonly string ReadString(ref Utf8JsonReader reader, bool repeats) =>
            repeats ? Strings.Repeated.Read(ref reader, Strings.Ascii) : PayloadReader.ReadString(ref reader, Strings.Ascii);

        private void Fail(string reason, string detail) => Error ??= new Failure(reason, detail);
    }
}
