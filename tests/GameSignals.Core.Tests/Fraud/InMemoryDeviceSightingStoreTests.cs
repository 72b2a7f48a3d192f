using FsCheck.Xunit;
using GameSignals.Fraud;

namespace GameSignals.Tests.Fraud;

public sealed class InMemoryDeviceSightingStoreTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(60);

    /// <summary>
    /// Any order of logins, late ones and ones written again included, gets back what a list of every sighting kept
    /// answers: kept unless already a retention behind the bucket's newest, each event once, forgotten once a retention
    /// behind, and a login's window as the sightings less than <c>near</c> from it.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool A_bucket_answers_as_a_list_of_its_sightings_does(byte[] minutes, byte[] ids, byte near)
    {
        var store = new InMemoryDeviceSightingStore(Retention);
        var model = new List<DeviceSighting>();
        var newest = DateTimeOffset.MinValue;
        var window = TimeSpan.FromMinutes(near % 90);
        var got = new List<DeviceSighting> { new("/stale", "left over", "u", "d", FraudHarness.T0) }; // one list for every login, as the check uses
        for (var i = 0; i < minutes.Length; i++)
        {
            // Ids repeat (redeliveries), and one id under two sources is two events.
            var id = ids.Length == 0 ? i : ids[i % ids.Length] % 40;
            var sighting = new DeviceSighting("/s" + (id % 2), "e" + id, "u" + id, "d" + (id % 7), FraudHarness.T0.AddMinutes(minutes[i] % 200));
            store.AddAsync("odin", "10.0.0.1", sighting, window, got, CancellationToken.None).AsTask().Wait();

            newest = newest == DateTimeOffset.MinValue ? sighting.Time : newest;
            if (sighting.Time >= newest - Retention && !model.Any(s => s.Source == sighting.Source && s.EventId == sighting.EventId))
            {
                model.Add(sighting);
                if (sighting.Time > newest)
                {
                    newest = sighting.Time;
                    model.RemoveAll(s => s.Time < newest - Retention);
                }
            }

            var expected = model.Where(s => DeviceSighting.IsNear(s.Time, sighting.Time, window));
            if (!Same(got, expected) || !Same(store.SightingsOf("odin", "10.0.0.1"), model))
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public async Task Ten_thousand_logins_on_one_address_keep_each_event_once_and_their_windows()
    {
        var store = new InMemoryDeviceSightingStore(TimeSpan.FromDays(1));
        DeviceSighting At(int n) => new("/s", "e" + n, "u" + n, "d" + (n % 500), FraudHarness.T0.AddSeconds(n));
        for (var n = 0; n < 10_000; n++)
        {
            await store.AddAsync("odin", "10.0.0.1", At(n), TimeSpan.FromMinutes(1), [], CancellationToken.None);
        }

        // Written again, from the start, the middle and the end: nothing is added.
        foreach (var n in new[] { 0, 5_000, 9_999 })
        {
            await store.AddAsync("odin", "10.0.0.1", At(n), TimeSpan.FromMinutes(1), [], CancellationToken.None);
        }

        var late = new List<DeviceSighting>();
        await store.AddAsync("odin", "10.0.0.1", new DeviceSighting("/s", "late", "u", "d", FraudHarness.T0.AddSeconds(100.5)), TimeSpan.FromSeconds(2), late, CancellationToken.None);

        Assert.Equal(10_001, store.SightingsOf("odin", "10.0.0.1").Count);
        Assert.Equal(["e100", "e101", "e102", "e99", "late"], late.Select(s => s.EventId).Order(StringComparer.Ordinal));
    }

    private static bool Same(IEnumerable<DeviceSighting> got, IEnumerable<DeviceSighting> expected) =>
        got.OrderBy(s => s.Source + "#" + s.EventId, StringComparer.Ordinal).SequenceEqual(expected.OrderBy(s => s.Source + "#" + s.EventId, StringComparer.Ordinal));
}
