using System.Runtime.InteropServices;

namespace GameSignals.Events;

/// <summary>
/// One copy of each string that repeats across events (sources, games, users, characters, devices).
/// Every decoded event has its own copies; an embedded store that keeps a record per event for hours of
/// a stream keeps them through this pool instead. Not thread-safe: the store's lock guards it.
/// </summary>
public sealed class SharedStrings
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>The pooled string equal to <paramref name="value"/>, pooling it if it is the first.</summary>
    public string Get(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ref var shared = ref CollectionsMarshal.GetValueRefOrAddDefault(_strings, value, out _);
        return shared ??= value;
    }
}
