using System.Globalization;

namespace GameSignals.Azure.Cosmos;

/// <summary>
/// A string that orders items by (time, id) whatever the offsets the times were written with, and bounds time
/// ranges in a query: UTC at fixed width (so string order is time order), then the id.
/// </summary>
internal static class CosmosTimeKey
{
    /// <summary>The key of an item; a range bound uses an empty <paramref name="id"/>.</summary>
    public static string Of(DateTimeOffset time, string id) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + (id.Length == 0 ? "" : "|" + id);
}
