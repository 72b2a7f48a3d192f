using GameSignals.Admin.IpRanges;
using FsCheck.Xunit;
using GameSignals.Functions.Tests.Http;
using Microsoft.AspNetCore.Http;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.IpRanges;

/// <summary>The address lookup under hostile route values: what is known about the address, or a 400.</summary>
public sealed class IpLookupFunctionsFuzzTests
{
    private static readonly string[] Addresses =
    [
        "203.0.113.5", "::ffff:203.0.113.5", "2001:db8::1", "::", "0.0.0.0", "255.255.255.255", "1", "0x7f.1", "1.2.3", "1.2.3.4.5", "256.1.1.1",
        "01.02.03.04", "1.2.3.4%eth0", "fe80::1%1", "[::1]", "::1/128", "1.2.3.4/24", "1.2.3.-4", "١.٢.٣.٤", "2001:db8::g", ":::", "1.2.3.4 ",
    ];

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task A_lookup_answers_the_address_or_a_400(RouteValue address, byte pick)
    {
        await using var app = new IpRangesApp();
        var text = address.Hostile ?? Addresses[pick % Addresses.Length];

        var status = HostileInput.StatusOf(await app.Lookup.LookupAsync(Request(), text), [StatusCodes.Status200OK], [StatusCodes.Status400BadRequest]);

        Assert.Equal(IpLookupAdmin.ParseAddress(text) is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, status);
    }
}
