namespace GameSignals.IpRanges;

/// <summary>A refused blocklist entry, naming the field at fault.</summary>
public sealed class BlocklistValidationException(string field, string message) : ArgumentException($"{field}: {message}", field)
{
    public string Field { get; } = field;
}

/// <summary>The rules every blocklist entry follows, whether it comes from <c>blocklist.json</c> or the store.</summary>
public static class BlocklistRules
{
    public const int MaxReasonLength = 500;

    /// <summary>The first rule the entry breaks, or null when it is valid.</summary>
    public static BlocklistValidationException? Validate(BlocklistEntry entry, bool requireId)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if ((requireId || entry.Id is not null) && !Ids.IsResourceId(entry.Id))
        {
            return new BlocklistValidationException("id", (requireId ? "required: " : "") + Ids.ResourceIdRule);
        }

        if ((entry.Cidr is null) == (entry.Asn is null))
        {
            return new BlocklistValidationException("cidr", "exactly one of cidr and asn must be set");
        }

        if (entry.Cidr is not null && !IpPrefix.TryParse(entry.Cidr, out _))
        {
            return new BlocklistValidationException("cidr", $"'{entry.Cidr}' is not a CIDR prefix (host bits must be zero)");
        }

        if (entry.Asn == 0)
        {
            return new BlocklistValidationException("asn", "AS 0 is not routed and cannot be blocked");
        }

        if (string.IsNullOrWhiteSpace(entry.Reason) || entry.Reason.Length > MaxReasonLength)
        {
            return new BlocklistValidationException("reason", $"required, at most {MaxReasonLength} characters");
        }

        return null;
    }

    /// <summary>The entry with its CIDR in canonical text (IPv4-mapped IPv6 as IPv4), as the table reports it.</summary>
    public static BlocklistEntry Canonical(BlocklistEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Cidr is null ? entry : entry with { Cidr = IpPrefix.Parse(entry.Cidr).ToString() };
    }

    /// <summary>Whether the entry is in force at the given time (an expired entry matches nothing).</summary>
    public static bool IsActive(BlocklistEntry entry, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Expires is not { } expires || expires > at;
    }
}
