using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Xml;
using GameSignals.Events;
using Microsoft.Extensions.ObjectPool;

namespace GameSignals.Fraud;

/// <summary>
/// <c>device.farm</c>: a login at t is flagged when its IP bucket has more than <c>maxDevicesPerIp</c> distinct
/// devices among the logins with time in (t − window, t]. Each login is written to the shared sighting store
/// before the store is read, so whichever of two logins is processed last sees the other. Besides itself,
/// a login re-evaluates the bucket's logins in [t, t + window), whose windows it falls into: a late login
/// raises the flags it implies for logins already processed. Counts only grow as logins arrive, so a flag
/// raised early stays true; the flag's count is the one seen when it was first raised.
/// </summary>
internal sealed class DeviceFarmCheck(IDeviceSightingStore sightings, FlagRaiser raiser)
{
    private const int MaxDevicesInEvidence = 100;
    private const string DistinctDevices = "distinctDevices"; // the evidence's count of what the check saw

    /// <summary>
    /// A check's working memory, used again by the next check: a busy address hands back hundreds of sightings a login,
    /// and a new list and set for them at each login were a tenth of what a replay allocated. Checks run at once on
    /// several partitions, so each takes its own from the pool.
    /// </summary>
    private static readonly ObjectPool<Scratch> Scratches = new DefaultObjectPoolProvider().Create(new Scratch.Policy());

    public async ValueTask CheckAsync(FraudPolicy policy, GameEvent login, IPAddress ip, string deviceId, CancellationToken cancellationToken)
    {
        var scratch = Scratches.Get();
        try
        {
            await CheckAsync(policy, login, BucketOf(ip), deviceId, scratch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Scratches.Return(scratch);
        }
    }

    private async ValueTask CheckAsync(FraudPolicy policy, GameEvent login, string bucket, string deviceId, Scratch scratch, CancellationToken cancellationToken)
    {
        var window = policy.DeviceFarmWindow;
        var stored = scratch.Sightings;
        // The logins whose windows hold this one, and those in theirs, are all less than a window before or after it.
        await sightings.AddAsync(policy.GameId, bucket, new DeviceSighting(login.Source, login.Id, login.UserId, deviceId, login.Time), window, stored, cancellationToken)
            .ConfigureAwait(false);
        // No window can hold more devices than the sightings returned: most addresses end here, with no set to fill.
        if (stored.Count <= policy.MaxDevicesPerIp)
        {
            return;
        }

        // Only the sightings in [t, t + window) have the login in their window; counted without sorting, since most stay
        // under the limit and only a flag needs its devices in order.
        var devices = scratch.Devices;
        for (var i = 0; i < stored.Count; i++)
        {
            var evaluated = stored[i];
            if (evaluated.Time < login.Time || evaluated.Time >= login.Time + window)
            {
                continue;
            }

            devices.Clear();
            for (var j = 0; j < stored.Count; j++)
            {
                var sighting = stored[j];
                if (sighting.Time > evaluated.Time - window && sighting.Time <= evaluated.Time)
                {
                    devices.Add(sighting.DeviceId);
                }
            }

            if (devices.Count <= policy.MaxDevicesPerIp)
            {
                continue;
            }

            var evidence = new JsonObject
            {
                ["ipBucket"] = bucket,
                [DistinctDevices] = devices.Count,
                ["maxDevicesPerIp"] = policy.MaxDevicesPerIp,
                ["window"] = XmlConvert.ToString(window),
                ["windowStartExclusive"] = evaluated.Time - window,
                ["windowEnd"] = evaluated.Time,
                ["deviceId"] = evaluated.DeviceId,
                ["devices"] = new JsonArray([.. devices.Order(StringComparer.Ordinal).Take(MaxDevicesInEvidence).Select(d => JsonValue.Create(d))]),
            };
            var about = new FlaggedEvent(policy.GameId, evaluated.UserId, evaluated.Source, evaluated.EventId, evaluated.Time);
            await raiser.RaiseAsync(policy, FraudReasons.DeviceFarm, about, evidence, cancellationToken, seenCount: DistinctDevices).ConfigureAwait(false);
        }
    }

    /// <summary>The address itself for IPv4, its /64 network for IPv6 (one subscriber's usual allocation).</summary>
    internal static string BucketOf(IPAddress ip)
    {
        if (ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return ip.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private sealed class Scratch
    {
        public List<DeviceSighting> Sightings { get; } = [];

        public HashSet<string> Devices { get; } = new(StringComparer.Ordinal);

        /// <summary>Empties a returned scratch, so that the pool holds no sighting's strings.</summary>
        public sealed class Policy : PooledObjectPolicy<Scratch>
        {
            public override Scratch Create() => new();

            public override bool Return(Scratch obj)
            {
                obj.Sightings.Clear();
                obj.Devices.Clear();
                return true;
            }
        }
    }
}
