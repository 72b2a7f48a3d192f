using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace GameSignals.IpRanges;

/// <summary>
/// Addresses as 128-bit keys: IPv6 as is, IPv4 as its IPv4-mapped IPv6 form (<c>::ffff:a.b.c.d</c>),
/// so one sorted key space holds both families and a mapped address finds the IPv4 ranges.
/// </summary>
public static class IpKey
{
    private static readonly UInt128 MappedPrefix = (UInt128)0xFFFF << 32;

    /// <summary>The key of an address; allocation free.</summary>
    public static UInt128 From(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }

        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>The key of an IPv4 address given as its 32-bit big-endian value.</summary>
    public static UInt128 FromIPv4(uint address) => MappedPrefix | address;

    /// <summary>Parses IPv4 or IPv6 text into a key; false when it is not an address.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out UInt128 key)
    {
        if (IPAddress.TryParse(text, out var address))
        {
            key = From(address);
            return true;
        }

        key = default;
        return false;
    }

    /// <summary>Whether the key is an IPv4 address (in its mapped form).</summary>
    /// <remarks>Every lookup asks it: word by word, so the JIT inlines it.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsIPv4(UInt128 key) => ((ulong)(key >> 64) | (((ulong)key >> 32) ^ 0xFFFF)) == 0;

    /// <summary>The address of a key; IPv4 keys come back as IPv4.</summary>
    public static IPAddress ToAddress(UInt128 key)
    {
        if (IsIPv4(key))
        {
            return new IPAddress(BinaryPrimitives.ReverseEndianness((uint)key));
        }

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, key);
        return new IPAddress(bytes);
    }

    public static string ToText(UInt128 key) => ToAddress(key).ToString();
}

/// <summary>
/// A CIDR prefix in the 128-bit key space of <see cref="IpKey"/>; an IPv4 /n is stored as /(96+n).
/// </summary>
public readonly record struct IpPrefix(UInt128 Start, byte Length)
{
    public UInt128 End => Length >= 128 ? Start : Start | (UInt128.MaxValue >> Length); // a shift by 128 would shift by 0

    public bool Contains(UInt128 key) => key >= Start && key <= End;

    public bool IsIPv4 => Length >= 96 && IpKey.IsIPv4(Start);

    /// <summary>
    /// Parses CIDR text (IPv4 or IPv6, IPv4-mapped IPv6 is normalised to IPv4) with
    /// <see cref="IPNetwork"/>; host bits set beyond the prefix length are refused.
    /// A bare address is a /32 or /128.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IpPrefix prefix)
    {
        prefix = default;
        text = text.Trim();
        if (text.IndexOf('/') < 0)
        {
            if (!IPAddress.TryParse(text, out var single))
            {
                return false;
            }

            prefix = new IpPrefix(IpKey.From(single), 128);
            return true;
        }

        if (!IPNetwork.TryParse(text, out var network) || !IPAddress.TryParse(text[..text.IndexOf('/')], out var written))
        {
            return false;
        }

        // IPNetwork clears host bits silently; a published prefix with host bits set is a bad row.
        var start = IpKey.From(network.BaseAddress);
        if (IpKey.From(written) != start)
        {
            return false;
        }

        var length = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 96 + network.PrefixLength : network.PrefixLength;
        prefix = new IpPrefix(start, (byte)length);
        return true;
    }

    public static IpPrefix Parse(string text) =>
        TryParse(text, out var prefix) ? prefix : throw new FormatException($"'{text}' is not a CIDR prefix.");

    public override string ToString() =>
        IsIPv4 ? $"{IpKey.ToText(Start)}/{Length - 96}" : $"{IpKey.ToText(Start)}/{Length}";
}
