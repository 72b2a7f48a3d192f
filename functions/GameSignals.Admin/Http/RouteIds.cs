using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Http;

/// <summary>Checks of the ids in admin routes (<see cref="Ids"/>): null when valid, else a 400 problem naming the route value.</summary>
public static class RouteIds
{
    /// <summary>A rule, blocklist entry or notification id.</summary>
    public static ObjectResult? Resource(string name, string? value) =>
        Ids.IsResourceId(value) ? null : Invalid(name, Ids.ResourceIdRule);

    /// <summary>A game or user id, as events carry them.</summary>
    public static ObjectResult? External(string name, string? value) =>
        Ids.IsExternalId(value) ? null : Invalid(name, Ids.ExternalIdRule);

    private static ObjectResult Invalid(string name, string rule) =>
        Problems.BadRequest($"The route value {name} is not valid.", new Dictionary<string, string[]>(StringComparer.Ordinal) { [name] = [rule] });
}
