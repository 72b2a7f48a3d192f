using System.Text.Json;
using System.Text.Json.Serialization;

namespace GameSignals.Cli.Accuracy;

/// <summary>
/// <c>truth.json</c>, written by <c>generate</c> beside the stream: what a correct replay of it produces,
/// from the generator's own record of what it planted. Notifications by rule and flags by reason, each
/// with the event ids that must have one, and the lines that must be dead letters and duplicates.
/// </summary>
internal sealed record TruthFile
{
    public const string FileName = "truth.json";

    public ulong Seed { get; init; }

    /// <summary>Lines of the stream, poison and duplicates included.</summary>
    public long Lines { get; init; }

    /// <summary>Poison lines: each must be a dead letter.</summary>
    public long Poison { get; init; }

    /// <summary>Lines that resend an event already sent: each must be dropped as a duplicate.</summary>
    public long Duplicates { get; init; }

    /// <summary>By rule id, every rule of the generated rules.json.</summary>
    public required SortedDictionary<string, PlantedOutcome> Notifications { get; init; }

    /// <summary>By reason code, every reason of contract §4.</summary>
    public required SortedDictionary<string, PlantedOutcome> Flags { get; init; }

    public static TruthFile Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, TruthJsonContext.Default.TruthFile)
                ?? throw new CliUsageException($"{path} is not a truth file (it is null)");
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"{path} is not a truth file: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliUsageException.Unreadable(path, ex);
        }
    }

    public void Write(string path)
    {
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, this, TruthJsonContext.Default.TruthFile);
        stream.WriteByte((byte)'\n');
    }
}

/// <summary>
/// One rule's or reason's planted outcome: the events that must have one, the planted matches a cooldown
/// holds back (rules only), and the near misses that must have none (a condition's boundary, another game,
/// a device count exactly at the threshold, a price spelt differently).
/// </summary>
internal sealed record PlantedOutcome
{
    public long NearMisses { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? HeldByCooldown { get; init; }

    /// <summary>Event ids, in stream order.</summary>
    public required IReadOnlyList<string> Expected { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(TruthFile))]
internal sealed partial class TruthJsonContext : JsonSerializerContext;
