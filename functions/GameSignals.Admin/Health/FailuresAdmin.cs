using System.Text.Json.Serialization;
using GameSignals.Admin.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Health;

/// <summary>What failed lately: dead letters written and push requests given up on (<see cref="IFailureCounts"/>).</summary>
public interface IFailureCounts
{
    ValueTask<FailureCounts> CountAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>
/// Dead letters written since the time asked (<see cref="DeadLettersComplete"/> false when counting stopped at a bound, so
/// <see cref="DeadLetters"/> is a floor), and the push requests waiting in <c>push-requests-poison</c> (approximate;
/// null where no push is sent, as in the local console).
/// </summary>
public sealed record FailureCounts(long DeadLetters, bool DeadLettersComplete, long? PushPoison);

/// <summary>The failures of the last day, for the console's Health page and monitoring scripts (unlike <c>/api/health</c>, it needs a role).</summary>
public sealed class FailuresAdmin(IFailureCounts counts, TimeProvider time)
{
    /// <summary>The window counted: the last day.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    public async Task<IActionResult> GetAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var since = time.GetUtcNow() - Window;
        var counted = await counts.CountAsync(since, request.HttpContext.RequestAborted).ConfigureAwait(false);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return AdminJson.Write(new FailuresResponse(since, counted.DeadLetters, counted.DeadLettersComplete, counted.PushPoison), FailuresJson.Default.FailuresResponse);
    }
}

/// <summary>The failures since <see cref="Since"/> (a day before the answer).</summary>
public sealed record FailuresResponse(DateTimeOffset Since, long DeadLetters, bool DeadLettersComplete, long? PushPoison);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FailuresResponse))]
internal sealed partial class FailuresJson : JsonSerializerContext;
