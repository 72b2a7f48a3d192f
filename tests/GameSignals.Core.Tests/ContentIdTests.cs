using System.Security.Cryptography;
using System.Text;
using GameSignals.Fraud;
using GameSignals.Notifications;

namespace GameSignals.Core.Tests;

public class ContentIdTests
{
    public static TheoryData<string, string> Ids => new()
    {
        { "streak-3", "evt-0001" },
        { "렙업-축하", "이벤트-ü-1" }, // non-ASCII: UTF-16 lengths, UTF-8 bytes
        { new string('r', 128), new string('e', 400) }, // longer than the stack buffer
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public void A_notification_id_is_the_first_16_bytes_of_the_sha256_of_the_length_prefixed_triple(string ruleId, string eventId)
    {
        const string source = "/games/odin/kr-01";
        var text = $"{ruleId.Length}:{ruleId}|{source.Length}:{source}|{eventId.Length}:{eventId}";

        Assert.Equal(Expected(text), Notification.IdFor(ruleId, source, eventId));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void A_flag_id_is_the_first_16_bytes_of_the_sha256_of_reason_source_and_event_id_on_lines(string reason, string eventId)
    {
        Assert.Equal(Expected($"{reason}\n/games/odin/kr-01\n{eventId}"), FraudFlag.IdFor(reason, "/games/odin/kr-01", eventId));
    }

    private static string Expected(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16]);
}
