using System.Globalization;
using System.Text;

namespace GameSignals.Fraud;

/// <summary>The embedded flag store of replay and tests, with the Cosmos store's create-conflict semantics.</summary>
public sealed class InMemoryFlagStore : IFlagStore
{
    private readonly Dictionary<string, FraudFlag> _flags = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Every flag, in event-time order (replay writes these out).</summary>
    public IReadOnlyList<FraudFlag> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _flags.Values.OrderBy(f => f.Time).ThenBy(f => f.Id, StringComparer.Ordinal)];
            }
        }
    }

    public ValueTask<bool> CreateAsync(FraudFlag flag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flag);
        lock (_gate)
        {
            return ValueTask.FromResult(_flags.TryAdd(Key(flag.GameId, flag.Id), flag));
        }
    }

    public ValueTask<FraudFlag?> GetAsync(string gameId, string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_flags.GetValueOrDefault(Key(gameId, id)));
        }
    }

    public ValueTask<FlagPage> QueryAsync(FlagQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        var after = query.ContinuationToken is null ? ((long, string)?)null : ReadToken(query.ContinuationToken);
        List<FraudFlag> matching;
        lock (_gate)
        {
            matching = [.. _flags.Values.Where(query.Matches)];
        }

        var page = matching
            .Where(f => after is not { } a || f.Time.UtcTicks > a.Item1 || (f.Time.UtcTicks == a.Item1 && string.CompareOrdinal(f.Id, a.Item2) > 0))
            .OrderBy(f => f.Time.UtcTicks).ThenBy(f => f.Id, StringComparer.Ordinal)
            .Take(query.PageSize + 1)
            .ToList();
        string? token = null;
        if (page.Count > query.PageSize)
        {
            page.RemoveAt(query.PageSize);
            token = WriteToken(page[^1]);
        }

        return ValueTask.FromResult(new FlagPage(page, token));
    }

    public ValueTask<FraudFlag?> ReviewAsync(string gameId, string id, FlagReview review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        if (review.Status == FlagStatus.Open)
        {
            throw new ArgumentException("A review resolves or dismisses a flag.", nameof(review));
        }

        lock (_gate)
        {
            if (!_flags.TryGetValue(Key(gameId, id), out var flag) || flag.Status != FlagStatus.Open)
            {
                return ValueTask.FromResult<FraudFlag?>(flag);
            }

            flag = flag with { Status = review.Status, Comment = review.Comment, ResolvedBy = review.By, ResolvedAt = review.At };
            _flags[Key(gameId, id)] = flag;
            return ValueTask.FromResult<FraudFlag?>(flag);
        }
    }

    public ValueTask ReplaceEvidenceAsync(
        string gameId, string id, System.Text.Json.JsonElement evidence, Func<System.Text.Json.JsonElement, System.Text.Json.JsonElement, bool> supersedes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(supersedes);
        lock (_gate)
        {
            if (_flags.TryGetValue(Key(gameId, id), out var flag) && supersedes(flag.Evidence, evidence))
            {
                _flags[Key(gameId, id)] = flag with { Evidence = evidence };
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask MarkActionPublishedAsync(string gameId, string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_flags.TryGetValue(Key(gameId, id), out var flag))
            {
                _flags[Key(gameId, id)] = flag with { ActionPublished = true };
            }
        }

        return ValueTask.CompletedTask;
    }

    private static string Key(string gameId, string id) => gameId + "/" + id;

    private static string WriteToken(FraudFlag last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(last.Time.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + last.Id));

    private static (long, string) ReadToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return (long.Parse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture), text[(bar + 1)..]);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new ArgumentException("The continuation token is not one this store gave.", nameof(token), e);
        }
    }
}
