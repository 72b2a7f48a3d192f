using System.ComponentModel.DataAnnotations;
using GameSignals.Azure.Profiles;
using GameSignals.Profiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Functions.Profiles;

public static class ProfilesFunctionServices
{
    /// <summary>
    /// The profiles capability in the function app: Core's stage, indexer and similarity service with options
    /// from the <c>Profiles</c> section (<see cref="ProfileOptions"/> and <see cref="RenormalizeOptions"/>), over the
    /// Azure stores and index of <see cref="ProfilesAzureServiceCollectionExtensions.AddProfilesAzure"/>.
    /// </summary>
    public static IServiceCollection AddProfilesFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(RenormalizeOptions.SectionName);
        services.AddProfiles();
        services.AddProfilesAzure(configuration);
        services.AddOptions<ProfileOptions>().Bind(section);
        services.AddOptions<RenormalizeOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}

/// <summary>What the <see cref="ProfilesRenormalizeFunction"/> timer refreshes.</summary>
public sealed class RenormalizeOptions : IValidatableObject
{
    public const string SectionName = "Profiles";

    /// <summary>
    /// The games whose statistics and vectors the timer recomputes, comma-separated (<c>Profiles__Games</c>).
    /// A setting rather than the games found in the statistics store: a new game has no statistics until its
    /// first refresh, so the store alone would never bootstrap it, and each refresh reads a game's whole
    /// population, a cost an operator should opt a game into.
    /// </summary>
    public string Games { get; set; } = "";

    public IReadOnlyList<string> GameIds =>
        [.. Games.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        GameIds.Where(game => !Ids.IsExternalId(game))
            .Select(game => new ValidationResult($"Profiles:Games: '{game}' is not a game id ({Ids.ExternalIdRule}).", [nameof(Games)]));
}
