namespace GameSignals.Notifications;

/// <summary>A player's language (from <c>locale</c> of their latest <c>game.session.started</c>) and that session's event time.</summary>
public sealed record PlayerLocale(string Language, DateTimeOffset Time)
{
    /// <summary>The language part of a BCP 47 tag: <c>ko-KR</c> gives <c>ko</c>.</summary>
    public static string? LanguageOf(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return null;
        }

        var end = locale.AsSpan().IndexOfAny('-', '_');
        return (end < 0 ? locale : locale[..end]).Trim().ToLowerInvariant();
    }
}

/// <summary>Players' languages per (gameId, userId).</summary>
public interface IPlayerLocaleStore
{
    ValueTask<PlayerLocale?> GetAsync(string gameId, string userId, CancellationToken cancellationToken);

    /// <summary>Keeps <paramref name="locale"/> unless the stored one comes from a later session.</summary>
    ValueTask SetAsync(string gameId, string userId, PlayerLocale locale, CancellationToken cancellationToken);
}

public sealed class InMemoryPlayerLocaleStore : IPlayerLocaleStore
{
    private readonly Dictionary<(string, string), PlayerLocale> _locales = new(StringPairComparer.Instance);
    private readonly Lock _gate = new();

    public ValueTask<PlayerLocale?> GetAsync(string gameId, string userId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_locales.GetValueOrDefault((gameId, userId)));
        }
    }

    public ValueTask SetAsync(string gameId, string userId, PlayerLocale locale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(locale);
        lock (_gate)
        {
            if (!_locales.TryGetValue((gameId, userId), out var current) || current.Time <= locale.Time)
            {
                _locales[(gameId, userId)] = locale;
            }
        }

        return ValueTask.CompletedTask;
    }
}
