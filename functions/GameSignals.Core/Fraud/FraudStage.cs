using System.Net;
using System.Text.Json.Nodes;
using GameSignals.Events;
using GameSignals.IpRanges;
using GameSignals.Pipeline;
using Microsoft.Extensions.Logging;

namespace GameSignals.Fraud;

/// <summary>
/// The fraud checks of contract §4 on logins (<c>game.session.started</c>) and purchases
/// (<c>payment.purchase.completed</c>). Flags have deterministic ids, and the cross-partition state
/// (device sightings, receipt uses) is written idempotently, so a redelivered batch changes nothing.
/// Events of games without fraud settings are skipped.
/// </summary>
public sealed partial class FraudStage : IEventStage
{
    private readonly FraudConfigCache _configs;
    private readonly IIpIntelligence _ip;
    private readonly FlagRaiser _raiser;
    private readonly DeviceFarmCheck _deviceFarm;
    private readonly ReceiptReplayCheck _receiptReplay;
    private readonly StoreRetry _retry;
    private readonly ILogger<FraudStage> _logger;

    public FraudStage(
        FraudConfigCache configs, IIpIntelligence ipIntelligence, IDeviceSightingStore sightings, IReceiptUseStore receiptUses,
        IFlagStore flags, IFraudActionPublisher actions, StoreRetry retry, ILogger<FraudStage> logger)
    {
        _configs = configs;
        _ip = ipIntelligence;
        _raiser = new FlagRaiser(flags, actions);
        _deviceFarm = new DeviceFarmCheck(sightings, _raiser);
        _receiptReplay = new ReceiptReplayCheck(receiptUses, configs, _raiser);
        _retry = retry;
        _logger = logger;
    }

    public string Name => "fraud";

    public async ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var e in batch.Events)
        {
            if (e.Payload is SessionStarted or PurchaseCompleted)
            {
                await _retry.ExecuteAsync(static (s, ct) => s.Stage.CheckAsync(s.Event, ct), (Stage: this, Event: e), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every check of one login or purchase; a unit that <see cref="StoreRetry"/> may run again.</summary>
    private async ValueTask CheckAsync(GameEvent e, CancellationToken cancellationToken)
    {
        if (await _configs.GetAsync(e.GameId, cancellationToken).ConfigureAwait(false) is not { } policy)
        {
            LogUnconfigured(e.GameId, e.Id);
            return;
        }

        if (e.Payload is SessionStarted login)
        {
            await CheckLoginAsync(policy, e, login, cancellationToken).ConfigureAwait(false);
        }
        else if (e.Payload is PurchaseCompleted purchase)
        {
            await CheckPurchaseAsync(policy, e, purchase, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask CheckLoginAsync(FraudPolicy policy, GameEvent e, SessionStarted login, CancellationToken cancellationToken)
    {
        var about = About(e);
        var ip = ParseIp(login.Ip, e);
        if (ip is not null)
        {
            await CheckBlocklistAsync(policy, about, ip, cancellationToken).ConfigureAwait(false);
            if (policy.BlockCloudProviders)
            {
                await CheckCloudAsync(policy, about, ip, cancellationToken).ConfigureAwait(false);
            }

            await CheckCountryAsync(policy, about, ip, login.AccountCountry, cancellationToken).ConfigureAwait(false);
        }

        var allowed = login.Platform is null ? null : policy.ClientSignatures.GetValueOrDefault(login.Platform);
        if (login.ClientSignature is null || allowed is null || !allowed.Contains(login.ClientSignature))
        {
            var evidence = new JsonObject
            {
                ["platform"] = login.Platform,
                ["clientSignature"] = login.ClientSignature,
                ["clientVersion"] = login.ClientVersion,
                ["allowedSignatures"] = new JsonArray([.. (allowed ?? []).Order(StringComparer.Ordinal).Select(s => JsonValue.Create(s))]),
            };
            await _raiser.RaiseAsync(policy, FraudReasons.ClientTampered, about, evidence, cancellationToken).ConfigureAwait(false);
        }

        if (ip is not null && !string.IsNullOrEmpty(login.DeviceId))
        {
            await _deviceFarm.CheckAsync(policy, e, ip, login.DeviceId, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask CheckPurchaseAsync(FraudPolicy policy, GameEvent e, PurchaseCompleted purchase, CancellationToken cancellationToken)
    {
        var about = About(e);
        if (ParseIp(purchase.Ip, e) is { } ip)
        {
            await CheckBlocklistAsync(policy, about, ip, cancellationToken).ConfigureAwait(false);
        }

        var registered = purchase.Store is null ? null : policy.Currencies.GetValueOrDefault(purchase.Store);
        if (purchase.Currency is null || registered is null || !registered.Contains(purchase.Currency))
        {
            var evidence = new JsonObject
            {
                ["store"] = purchase.Store,
                ["currency"] = purchase.Currency,
                ["registeredCurrencies"] = new JsonArray([.. (registered ?? []).Order(StringComparer.Ordinal).Select(c => JsonValue.Create(c))]),
            };
            await _raiser.RaiseAsync(policy, FraudReasons.UnregisteredCurrency, about, evidence, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            decimal? expected = purchase.ProductId is not null
                && policy.Catalog.TryGetValue(purchase.ProductId, out var prices)
                && prices.TryGetValue(purchase.Currency, out var price) ? price : null;
            if (expected is null || expected != purchase.Price)
            {
                var evidence = new JsonObject
                {
                    ["productId"] = purchase.ProductId,
                    ["currency"] = purchase.Currency,
                    ["expectedPrice"] = expected,
                    ["seenPrice"] = purchase.Price,
                    ["inCatalog"] = expected is not null,
                };
                await _raiser.RaiseAsync(policy, FraudReasons.PriceMismatch, about, evidence, cancellationToken).ConfigureAwait(false);
            }
        }

        var failures = ReceiptVerifier.Verify(purchase, policy, e.Time);
        if (failures.Count > 0)
        {
            var evidence = new JsonObject
            {
                ["store"] = purchase.Store,
                ["orderId"] = purchase.OrderId,
                ["failures"] = new JsonArray([.. failures.Select(ReceiptEvidence)]),
            };
            await _raiser.RaiseAsync(policy, FraudReasons.InvalidReceipt, about, evidence, cancellationToken).ConfigureAwait(false);
        }

        if (purchase.Store is not null && purchase.OrderId is not null)
        {
            await _receiptReplay.CheckAsync(e, purchase.Store, purchase.OrderId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>ip.blocked_range</c> and <c>ip.blocked_asn</c>, from the blocklist entries in force at the event's time.</summary>
    private async ValueTask CheckBlocklistAsync(FraudPolicy policy, FlaggedEvent about, IPAddress ip, CancellationToken cancellationToken)
    {
        var matches = new List<BlocklistEntry>();
        _ip.GetBlocklistMatches(ip, about.Time, matches);
        if (matches.Count == 0)
        {
            return; // almost every address
        }

        var ranges = matches.Where(m => m.Cidr is not null).ToList();
        if (ranges.Count > 0)
        {
            var evidence = new JsonObject
            {
                ["ip"] = ip.ToString(),
                ["source"] = "blocklist",
                ["matches"] = new JsonArray([.. ranges.Select(m => new JsonObject { ["cidr"] = m.Cidr, ["reason"] = m.Reason, ["addedBy"] = m.AddedBy })]),
            };
            await _raiser.RaiseAsync(policy, FraudReasons.BlockedRange, about, evidence, cancellationToken).ConfigureAwait(false);
        }

        var asns = matches.Where(m => m.Asn is not null).ToList();
        if (asns.Count > 0)
        {
            _ip.TryGetAsn(ip, out var asn);
            var evidence = new JsonObject
            {
                ["ip"] = ip.ToString(),
                ["source"] = "blocklist",
                ["asn"] = asns[0].Asn,
                ["asName"] = asn?.Name,
                ["asRange"] = asn is null ? null : asn.RangeStart + "-" + asn.RangeEnd,
                ["matches"] = new JsonArray([.. asns.Select(m => new JsonObject { ["asn"] = m.Asn, ["reason"] = m.Reason, ["addedBy"] = m.AddedBy })]),
            };
            await _raiser.RaiseAsync(policy, FraudReasons.BlockedAsn, about, evidence, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask CheckCloudAsync(FraudPolicy policy, FlaggedEvent about, IPAddress ip, CancellationToken cancellationToken)
    {
        var ranges = new List<CloudRange>();
        _ip.GetCloudRanges(ip, ranges);
        if (ranges.Count > 0)
        {
            var evidence = new JsonObject
            {
                ["ip"] = ip.ToString(),
                ["matches"] = new JsonArray([.. ranges.Select(r => new JsonObject
                {
                    ["source"] = r.Provider, ["prefix"] = r.Prefix, ["service"] = r.Service, ["region"] = r.Region,
                })]),
            };
            await _raiser.RaiseAsync(policy, FraudReasons.CloudProvider, about, evidence, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask CheckCountryAsync(FraudPolicy policy, FlaggedEvent about, IPAddress ip, string? accountCountry, CancellationToken cancellationToken)
    {
        if (accountCountry is null || !_ip.TryGetAsn(ip, out var asn) || asn.Country is null
            || string.Equals(asn.Country, accountCountry, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var evidence = new JsonObject
        {
            ["ip"] = ip.ToString(),
            ["ipCountry"] = asn.Country,
            ["accountCountry"] = accountCountry,
            ["asn"] = asn.Number,
            ["asName"] = asn.Name,
            ["asRange"] = asn.RangeStart + "-" + asn.RangeEnd,
        };
        await _raiser.RaiseAsync(policy, FraudReasons.CountryMismatch, about, evidence, cancellationToken).ConfigureAwait(false);
    }

    private IPAddress? ParseIp(string? text, GameEvent e)
    {
        if (text is null)
        {
            return null;
        }

        if (IPAddress.TryParse(text, out var ip))
        {
            return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
        }

        LogBadIp(text, e.Id, e.GameId);
        return null;
    }

    private static JsonObject ReceiptEvidence(ReceiptFailure failure)
    {
        var evidence = new JsonObject { ["check"] = failure.Check, ["expected"] = failure.Expected, ["seen"] = failure.Seen };
        if (failure.Detail is not null)
        {
            evidence["detail"] = failure.Detail;
        }

        return evidence;
    }

    private static FlaggedEvent About(GameEvent e) => new(e.GameId, e.UserId, e.Source, e.Id, e.Time);

    [LoggerMessage(EventId = 111, Level = LogLevel.Debug, Message = "No fraud settings for game {GameId}; event {EventId} not checked")]
    private partial void LogUnconfigured(string gameId, string eventId);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Unreadable IP '{Ip}' in event {EventId} of game {GameId}; IP checks skipped")]
    private partial void LogBadIp(string ip, string eventId, string gameId);
}
