using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace GameSignals.Fraud;

/// <summary>The file <c>fraud.json</c> (contract §4): fraud settings per game id.</summary>
public sealed class FraudConfigDocument
{
    public Dictionary<string, GameFraudConfig> Games { get; init; } = [];
}

/// <summary>One game's fraud settings as configured; <see cref="FraudConfigValidator"/> checks and compiles them.</summary>
public sealed class GameFraudConfig
{
    public bool BlockCloudProviders { get; init; }

    public DeviceFarmConfig? DeviceFarm { get; init; }

    /// <summary>Store name to the ISO 4217 codes registered for it.</summary>
    public Dictionary<string, List<string>>? Currencies { get; init; }

    /// <summary>Product id to currency to price.</summary>
    public Dictionary<string, Dictionary<string, decimal>>? Catalog { get; init; }

    /// <summary>Platform to the allowed client signatures (hex SHA-256).</summary>
    public Dictionary<string, List<string>>? ClientSignatures { get; init; }

    public GooglePlayConfig? GooglePlay { get; init; }

    public AppStoreConfig? AppStore { get; init; }

    /// <summary>Reason code to <c>block</c> or <c>review</c>, overriding the contract's defaults.</summary>
    public Dictionary<string, string>? Severities { get; init; }
}

public sealed class DeviceFarmConfig
{
    public int MaxDevicesPerIp { get; init; }

    /// <summary>ISO 8601 duration, e.g. <c>PT10M</c>.</summary>
    public string? Window { get; init; }
}

public sealed class GooglePlayConfig
{
    public string? PackageName { get; init; }

    /// <summary>Base64 X.509 SubjectPublicKeyInfo of the game's RSA licensing key.</summary>
    public string? PublicKey { get; init; }
}

public sealed class AppStoreConfig
{
    public string? BundleId { get; init; }

    /// <summary>Base64 DER certificates the x5c chains must build to; each must be able to sign certificates (a CA).</summary>
    public List<string>? RootCertificates { get; init; }

    /// <summary>
    /// The environment a transaction's payload must name: <c>Production</c> (when absent) or <c>Sandbox</c> (test
    /// configurations only), so sandbox and TestFlight purchases never pass as real payments (contract v1.1).
    /// </summary>
    public string? Environment { get; init; }
}

/// <summary>One thing wrong with a configuration: the JSON path of the field and what is wrong.</summary>
public sealed record ConfigProblem(string Field, string Message)
{
    public override string ToString() => Field + ": " + Message;
}

/// <summary>A configuration that cannot be used, with every problem found.</summary>
public sealed class FraudConfigException(IReadOnlyList<ConfigProblem> problems)
    : Exception("Invalid fraud configuration: " + string.Join("; ", problems))
{
    public IReadOnlyList<ConfigProblem> Problems { get; } = problems;
}

/// <summary>Reads <c>fraud.json</c>.</summary>
public static class FraudConfigLoader
{
    /// <summary>Parses and validates the whole file; throws <see cref="FraudConfigException"/> listing every problem.</summary>
    public static IReadOnlyDictionary<string, FraudPolicy> Load(ReadOnlySpan<byte> utf8Json)
    {
        var document = Parse(utf8Json);
        var problems = new List<ConfigProblem>();
        var policies = new Dictionary<string, FraudPolicy>(StringComparer.Ordinal);
        foreach (var (gameId, game) in document.Games)
        {
            if (FraudConfigValidator.TryCompile(gameId, game, problems, "games." + gameId) is { } policy)
            {
                policies[gameId] = policy;
            }
        }

        return problems.Count == 0 ? policies : throw new FraudConfigException(problems);
    }

    /// <summary>Parses without validating; a JSON error is reported with its path.</summary>
    public static FraudConfigDocument Parse(ReadOnlySpan<byte> utf8Json) => Deserialize(utf8Json, FraudJsonContext.Default.FraudConfigDocument);

    /// <summary>Parses one game's settings (the body of an admin call) without validating.</summary>
    public static GameFraudConfig ParseGame(ReadOnlySpan<byte> utf8Json) => Deserialize(utf8Json, FraudJsonContext.Default.GameFraudConfig);

    private static T Deserialize<T>(ReadOnlySpan<byte> utf8Json, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8Json, type) ?? throw new FraudConfigException([new ConfigProblem("$", "the document is null")]);
        }
        catch (JsonException e)
        {
            throw new FraudConfigException([new ConfigProblem(e.Path ?? "$", e.Message)]);
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(FraudConfigDocument))]
[JsonSerializable(typeof(GameFraudConfig))]
[JsonSerializable(typeof(FraudFlag))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class FraudJsonContext : JsonSerializerContext;
