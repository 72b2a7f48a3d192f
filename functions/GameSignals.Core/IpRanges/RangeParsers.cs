using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace GameSignals.IpRanges;

/// <summary>
/// Parsers for the providers' published formats, taking the files exactly as published.
/// JSON is read with <see cref="Utf8JsonReader"/> (not a DOM) so every bad row is reported with its line.
/// </summary>
public static class RangeParsers
{
    private static readonly JsonReaderOptions ReaderOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>AWS <c>ip-ranges.json</c>: <c>prefixes[].ip_prefix</c>, <c>ipv6_prefixes[].ipv6_prefix</c>, <c>region</c>, <c>service</c>.</summary>
    public static void ParseAws(ReadOnlyMemory<byte> utf8, string source, RangeSources into, RangeParseReport report) =>
        ParseFlatPrefixes(utf8, source, into, report, "aws", ["prefixes", "ipv6_prefixes"], ["ip_prefix", "ipv6_prefix"], "region");

    /// <summary>Google <c>cloud.json</c>: <c>prefixes[].ipv4Prefix|ipv6Prefix</c>, <c>service</c>, <c>scope</c> (the region).</summary>
    public static void ParseGcp(ReadOnlyMemory<byte> utf8, string source, RangeSources into, RangeParseReport report) =>
        ParseFlatPrefixes(utf8, source, into, report, "gcp", ["prefixes"], ["ipv4Prefix", "ipv6Prefix"], "scope");

    /// <summary>Azure Service Tags: <c>values[].name</c>, <c>values[].properties.region</c>, <c>values[].properties.addressPrefixes[]</c>.</summary>
    public static void ParseAzure(ReadOnlyMemory<byte> utf8, string source, RangeSources into, RangeParseReport report)
    {
        ArgumentNullException.ThrowIfNull(into);
        var strings = new StringPool();
        var found = new List<CloudEntry>();
        if (ReadArrayObjects(utf8, source, report, ["values"],
            (ref Utf8JsonReader reader, int line, LineCounter lines) => ReadServiceTag(ref reader, lines, source, strings, found, report, line)))
        {
            into.Cloud.AddRange(found);
            report.Accept(source, found.Count);
        }
    }

    private static void ReadServiceTag(ref Utf8JsonReader reader, LineCounter lines, string source, StringPool strings,
        List<CloudEntry> found, RangeParseReport report, int tagLine)
    {
        string? name = null;
        var region = "";
        var prefixes = new List<(string? Text, int Line)>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            if (property == "name" && reader.TokenType == JsonTokenType.String)
            {
                name = strings.Get(reader.GetString()!);
            }
            else if (property == "properties" && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var inner = reader.GetString();
                    reader.Read();
                    if (inner == "region" && reader.TokenType == JsonTokenType.String)
                    {
                        region = strings.Get(reader.GetString()!);
                    }
                    else if (inner == "addressPrefixes" && reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            var line = lines.LineAt(reader.TokenStartIndex);
                            prefixes.Add((reader.TokenType == JsonTokenType.String ? reader.GetString() : null, line));
                            reader.Skip();
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (name is null)
        {
            report.Bad(source, tagLine, "service tag has no name");
            return;
        }

        foreach (var (text, line) in prefixes)
        {
            AddPrefix(text, line, source, "azure", name, region, found, report);
        }
    }

    private static void ParseFlatPrefixes(ReadOnlyMemory<byte> utf8, string source, RangeSources into, RangeParseReport report,
        string provider, string[] arrays, string[] prefixFields, string regionField)
    {
        ArgumentNullException.ThrowIfNull(into);
        var strings = new StringPool();
        var found = new List<CloudEntry>();
        if (ReadArrayObjects(utf8, source, report, arrays, (ref Utf8JsonReader reader, int line, LineCounter _) =>
            {
                var fields = ReadStringProperties(ref reader);
                var prefixText = prefixFields.Select(fields.GetValueOrDefault).FirstOrDefault(text => text is not null);
                var service = strings.Get(fields.GetValueOrDefault("service") ?? "");
                var region = strings.Get(fields.GetValueOrDefault(regionField) ?? "");
                AddPrefix(prefixText, line, source, provider, service, region, found, report);
            }))
        {
            into.Cloud.AddRange(found);
            report.Accept(source, found.Count);
        }
    }

    private static void AddPrefix(string? text, int line, string source, string provider, string service, string region,
        List<CloudEntry> found, RangeParseReport report)
    {
        if (text is null)
        {
            report.Bad(source, line, "entry has no prefix");
        }
        else if (!IpPrefix.TryParse(text, out var prefix))
        {
            report.Bad(source, line, $"'{text}' is not a CIDR prefix");
        }
        else
        {
            found.Add(new CloudEntry(prefix, new CloudRange(provider, service, region, prefix.ToString())));
        }
    }

    /// <summary>
    /// iptoasn TSV (<c>range_start, range_end (inclusive), AS_number, country_code, AS_description</c>), IPv4, IPv6
    /// or both; gzip is recognised by its magic bytes. Country <c>None</c>/<c>Unknown</c> means no country.
    /// </summary>
    public static void ParseIp2Asn(Stream content, string source, RangeSources into, RangeParseReport report)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(report);
        report.Touch(source);
        if (!content.CanSeek)
        {
            var copy = new MemoryStream();
            content.CopyTo(copy);
            copy.Position = 0;
            content = copy;
        }

        var start = content.Position;
        Span<byte> magic = stackalloc byte[2];
        var gzip = content.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        content.Position = start;
        string? problem = null;
        using var inflated = gzip ? Inflate(content, out problem) : null;
        if (problem is not null)
        {
            report.Fail(source, 1, problem);
            return;
        }

        using var text = new StreamReader(inflated ?? content, Encoding.UTF8, true, 1 << 16, leaveOpen: true);
        var strings = new StringPool();
        var lineNumber = 0;
        var found = new List<AsnRow>();
        while (text.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (TryParseAsnRow(line, strings, out var row, out var error))
            {
                found.Add(row);
            }
            else
            {
                report.Bad(source, lineNumber, error);
            }
        }

        into.Asn.AddRange(found);
        report.Accept(source, found.Count);
    }

    /// <summary>
    /// Inflates a gzip file whole and checks it against its trailer (the original's CRC-32 and size): GZipStream ends
    /// without an error where a download was cut short, which would load part of the table as if it were all of it.
    /// One gzip member, as iptoasn.com publishes. Null, with the problem, when it does not inflate or does not match.
    /// </summary>
    private static MemoryStream? Inflate(Stream content, out string? problem)
    {
        const int HeaderAndTrailer = 18;
        var start = content.Position;
        if (content.Length - start < HeaderAndTrailer)
        {
            problem = "the gzip stream is shorter than a gzip header and trailer";
            return null;
        }

        Span<byte> trailer = stackalloc byte[8];
        content.Position = content.Length - trailer.Length;
        content.ReadExactly(trailer);
        content.Position = start;
        var inflated = new MemoryStream();
        try
        {
            using var gzip = new GZipStream(content, CompressionMode.Decompress, leaveOpen: true);
            gzip.CopyTo(inflated);
        }
        catch (InvalidDataException e)
        {
            inflated.Dispose();
            problem = $"not a readable gzip stream: {e.Message}";
            return null;
        }

        var crc = Crc32.HashToUInt32(inflated.GetBuffer().AsSpan(0, (int)inflated.Length));
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(trailer) || (uint)inflated.Length != BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]))
        {
            inflated.Dispose();
            problem = "the gzip stream is cut short or corrupt: what it inflates to does not match the CRC-32 and size in its trailer";
            return null;
        }

        inflated.Position = 0;
        problem = null;
        return inflated;
    }

    public static void ParseIp2Asn(ReadOnlyMemory<byte> content, string source, RangeSources into, RangeParseReport report)
    {
        using var stream = MemoryMarshal.TryGetArray(content, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        ParseIp2Asn(stream, source, into, report);
    }

    private static bool TryParseAsnRow(string line, StringPool strings, out AsnRow row, out string error)
    {
        row = default;
        Span<Range> fields = stackalloc Range[6];
        var span = line.AsSpan().TrimEnd('\r');
        var count = span.Split(fields, '\t');
        if (count < 5)
        {
            error = $"expected 5 tab-separated fields, found {count}";
            return false;
        }

        var last = count == 6 ? new Range(fields[4].Start, span.Length) : fields[4]; // a tab inside the description stays in it
        if (!IpKey.TryParse(span[fields[0]], out var start) || !IpKey.TryParse(span[fields[1]], out var end))
        {
            error = "range_start or range_end is not an IP address";
            return false;
        }

        if (IpKey.IsIPv4(start) != IpKey.IsIPv4(end) || start > end)
        {
            error = "range_start is after range_end or of another address family";
            return false;
        }

        if (!uint.TryParse(span[fields[2]], NumberStyles.None, CultureInfo.InvariantCulture, out var asn))
        {
            error = $"AS_number '{span[fields[2]]}' is not a number";
            return false;
        }

        var country = span[fields[3]].Trim();
        string? countryCode = country.IsEmpty || country.SequenceEqual("None") || country.SequenceEqual("Unknown") ? null : strings.Get(country);
        row = new AsnRow(start, end, asn, strings.Get(span[last].Trim()), countryCode);
        error = "";
        return true;
    }

    /// <summary>
    /// <c>blocklist.json</c>: <c>{ "entries": [ { "cidr" | "asn", "reason", "expires"?, "id"?, "addedBy"? } ] }</c>.
    /// Entries are checked with <see cref="BlocklistRules.Validate"/>.
    /// </summary>
    public static void ParseBlocklist(ReadOnlyMemory<byte> utf8, string source, RangeSources into, RangeParseReport report)
    {
        ArgumentNullException.ThrowIfNull(into);
        var found = new List<BlocklistEntry>();
        if (ReadArrayObjects(utf8, source, report, ["entries"], (ref Utf8JsonReader reader, int line, LineCounter _) =>
            {
                var (entry, error) = ReadBlocklistEntry(ref reader);
                error ??= BlocklistRules.Validate(entry!, requireId: false)?.Message;
                if (error is null)
                {
                    found.Add(BlocklistRules.Canonical(entry!));
                }
                else
                {
                    report.Bad(source, line, error);
                }
            }))
        {
            into.Blocklist.AddRange(found);
            report.Accept(source, found.Count);
        }
    }

    private static (BlocklistEntry? Entry, string? Error) ReadBlocklistEntry(ref Utf8JsonReader reader)
    {
        string? cidr = null, reason = null, id = null, addedBy = null, error = null;
        uint? asn = null;
        DateTimeOffset? expires = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "cidr" when reader.TokenType == JsonTokenType.String:
                    cidr = reader.GetString();
                    break;
                case "asn" when reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out var number):
                    asn = number;
                    break;
                case "reason" when reader.TokenType == JsonTokenType.String:
                    reason = reader.GetString();
                    break;
                case "expires" when reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at):
                    expires = at;
                    break;
                case "expires" when reader.TokenType == JsonTokenType.Null:
                    break;
                case "id" when reader.TokenType == JsonTokenType.String:
                    id = reader.GetString();
                    break;
                case "addedBy" when reader.TokenType == JsonTokenType.String:
                    addedBy = reader.GetString();
                    break;
                case "cidr" or "asn" or "reason" or "expires" or "id" or "addedBy":
                    error ??= $"{property}: unexpected {reader.TokenType} value";
                    reader.Skip();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return error is null ? (new BlocklistEntry(cidr, asn, reason ?? "", expires, addedBy, id), null) : (null, error);
    }

    /// <summary>Reads one element of a source's array; the reader is on its StartObject and must end on its EndObject.</summary>
    private delegate void ElementReader(ref Utf8JsonReader reader, int line, LineCounter lines);

    /// <summary>
    /// Hands every object of the named top-level arrays to <paramref name="readElement"/> with its line; a non-object
    /// element is a bad row. False, with the source failed, when the document is not readable JSON.
    /// </summary>
    private static bool ReadArrayObjects(ReadOnlyMemory<byte> utf8, string source, RangeParseReport report, string[] arrays, ElementReader readElement)
    {
        ArgumentNullException.ThrowIfNull(report);
        report.Touch(source);
        var lines = new LineCounter(utf8);
        var reader = new Utf8JsonReader(SkipBom(utf8.Span), ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("the document is not a JSON object", null, 0, 0);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.GetString();
                reader.Read();
                if (!arrays.Contains(property) || reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var line = lines.LineAt(reader.TokenStartIndex);
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        readElement(ref reader, line, lines);
                    }
                    else
                    {
                        reader.Skip();
                        report.Bad(source, line, "entry is not an object");
                    }
                }
            }

            return true;
        }
        catch (JsonException e)
        {
            report.Fail(source, (int)(e.LineNumber ?? 0) + 1, $"not a readable JSON document: {e.Message}");
            return false;
        }
    }

    /// <summary>Reads the object at the reader into its string-valued properties; other values are skipped.</summary>
    private static Dictionary<string, string> ReadStringProperties(ref Utf8JsonReader reader)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                fields[name] = reader.GetString()!;
            }
            else
            {
                reader.Skip();
            }
        }

        return fields;
    }

    private static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> utf8) => utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    /// <summary>Turns increasing byte offsets into 1-based line numbers in one pass over the document.</summary>
    private sealed class LineCounter(ReadOnlyMemory<byte> utf8)
    {
        private readonly int _bomLength = utf8.Span.StartsWith("\uFEFF"u8) ? 3 : 0;
        private int _position;
        private int _line = 1;

        public int LineAt(long tokenStart)
        {
            var end = (int)tokenStart + _bomLength;
            var span = utf8.Span;
            if (end > _position)
            {
                _line += span[_position..end].Count((byte)'\n');
                _position = end;
            }

            return _line;
        }
    }

    /// <summary>Shares the repeated texts (services, regions, AS names) between rows.</summary>
    private sealed class StringPool
    {
        private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);

        public string Get(string text) => _pool.TryGetValue(text, out var pooled) ? pooled : _pool[text] = text;

        public string Get(ReadOnlySpan<char> text)
        {
            var lookup = _pool.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(text, out var pooled))
            {
                return pooled;
            }

            var created = text.ToString();
            _pool[created] = created;
            return created;
        }
    }
}
