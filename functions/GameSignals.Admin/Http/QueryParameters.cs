using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Http;

/// <summary>
/// Reads an admin request's query parameters, collecting every problem by parameter name for one 400
/// (<see cref="Errors"/>): each parameter at most once and not empty, times in RFC 3339, page sizes bounded.
/// </summary>
public sealed partial class QueryParameters(HttpRequest request)
{
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>The value, or null when absent (or refused, with the problem in <see cref="Errors"/>).</summary>
    public string? Value(string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Query[name];
        if (values.Count > 1)
        {
            Errors[name] = ["may be given once"];
            return null;
        }

        var value = values.ToString();
        if (values.Count == 1 && value.Length == 0)
        {
            Errors[name] = ["may not be empty"];
            return null;
        }

        return values.Count == 0 ? null : value;
    }

    /// <summary>An RFC 3339 date-time with its offset, e.g. <c>2026-11-01T12:00:00Z</c>.</summary>
    public DateTimeOffset? Time(string name)
    {
        if (Value(name) is not { } text)
        {
            return null;
        }

        if (Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return value;
        }

        Errors[name] = ["must be an RFC 3339 date-time with offset, e.g. 2026-11-01T12:00:00Z"];
        return null;
    }

    /// <summary><c>from</c> and <c>to</c>, a half-open range of times, <c>to</c> after <c>from</c>.</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) TimeRange()
    {
        var (from, to) = (Time("from"), Time("to"));
        if (from is not null && to is not null && from >= to)
        {
            Errors["to"] = ["must be after from"];
        }

        return (from, to);
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, <paramref name="fallback"/> when absent.</summary>
    public int WholeNumber(string name, int fallback, int min, int max)
    {
        if (Value(name) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        Errors[name] = [$"must be a whole number from {min} to {max}"];
        return fallback;
    }

    /// <summary>
    /// The one paging of the admin API: <c>pageSize</c> (1 to <paramref name="max"/>, <paramref name="fallback"/> when
    /// absent) and <c>continuation</c>, the token the previous page answered.
    /// </summary>
    public Paging Paging(int fallback, int max) => new(WholeNumber("pageSize", fallback, 1, max), Value("continuation"));

    /// <summary>The 400 for a continuation the store does not know (it throws <see cref="ArgumentException"/> for one).</summary>
    public static ObjectResult InvalidContinuation() =>
        Problems.Invalid("continuation", "not a token a previous page of this list returned", "The query parameter continuation is not valid.");

    /// <summary>The 400 naming every refused parameter, or null when all are valid.</summary>
    public ObjectResult? Problem() => Errors.Count > 0 ? Problems.BadRequest("The query parameters are not valid.", Errors) : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}

/// <summary>One page asked for: its size and the continuation token of the page before (null for the first).</summary>
public readonly record struct Paging(int PageSize, string? Continuation);
