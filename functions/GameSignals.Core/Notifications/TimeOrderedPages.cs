using System.Globalization;

namespace GameSignals.Notifications;

/// <summary>
/// Pages newest first for the embedded stores. The token is the position (time, id) of the last item returned,
/// so items written meanwhile do not shift the pages.
/// </summary>
internal static class TimeOrderedPages
{
    /// <summary>A page of <paramref name="newestFirst"/> after <paramref name="continuationToken"/>, and the token of the next page.</summary>
    /// <exception cref="ArgumentException">The token is not one this method returned (named <paramref name="parameterName"/>).</exception>
    public static (List<T> Page, string? Next) Page<T>(
        List<T> newestFirst, Func<T, DateTimeOffset> timeOf, Func<T, string> idOf, int pageSize, string? continuationToken, string parameterName)
    {
        var start = 0;
        if (continuationToken is not null)
        {
            var separator = continuationToken.IndexOf('|', StringComparison.Ordinal);
            if (separator < 0 || !long.TryParse(continuationToken.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                throw new ArgumentException("The continuation token is not one this store returned.", parameterName);
            }

            var lastId = continuationToken[(separator + 1)..];
            start = newestFirst.FindIndex(n => timeOf(n).UtcTicks < ticks || (timeOf(n).UtcTicks == ticks && string.CompareOrdinal(idOf(n), lastId) < 0));
            start = start < 0 ? newestFirst.Count : start;
        }

        var page = newestFirst.Skip(start).Take(pageSize).ToList();
        var next = start + page.Count < newestFirst.Count
            ? string.Create(CultureInfo.InvariantCulture, $"{timeOf(page[^1]).UtcTicks}|{idOf(page[^1])}")
            : null;
        return (page, next);
    }
}
