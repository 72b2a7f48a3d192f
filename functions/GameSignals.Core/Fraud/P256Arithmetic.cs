using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace GameSignals.Fraud;

// Arithmetic of the NIST P-256 curve (FIPS 186-5, SEC 2) for signature verification, written from the definitions:
//   y^2 = x^3 - 3x + b over GF(p), p = 2^256 - 2^224 + 2^192 + 2^96 - 1, group of prime order n (cofactor 1).
// Everything here is VARIABLE TIME on purpose: it only ever handles public data (public keys, signatures, hashes of
// signed receipts), so timing reveals nothing secret. Never use it with a private key or a secret nonce.
// The hot methods here and in P256FixedKeyVerifier.cs (multiplication, point addition, the tables' build and walk,
// Verify) are compiled optimised from their first call: a new instance or a replay verifies thousands of receipts
// before tiered compilation reaches them, and a table is built once, in loops the first tier runs unoptimised
// (a 1M-event replay spent 1.3% to 1.8% of its samples in their first-tier code).

/// <summary>A 256-bit unsigned integer as four 64-bit limbs, least significant first.</summary>
internal struct U256(ulong l0, ulong l1, ulong l2, ulong l3)
{
    public ulong L0 = l0;
    public ulong L1 = l1;
    public ulong L2 = l2;
    public ulong L3 = l3;

    public readonly bool IsZero => (L0 | L1 | L2 | L3) == 0;

    public static U256 FromBigEndian(ReadOnlySpan<byte> bytes32) => new(
        BinaryPrimitives.ReadUInt64BigEndian(bytes32[24..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes32[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes32[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes32));

    public static U256 FromBigInteger(BigInteger value)
    {
        Span<byte> bytes = stackalloc byte[32];
        if (value.Sign < 0 || !value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: true) || value.GetByteCount(isUnsigned: true) > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        // TryWriteBytes writes the minimal big-endian bytes at the start: right-align them.
        var length = value.GetByteCount(isUnsigned: true);
        bytes[..length].CopyTo(bytes[(32 - length)..]);
        bytes[..(32 - length)].Clear();
        return FromBigEndian(bytes);
    }

    public readonly BigInteger ToBigInteger()
    {
        Span<byte> bytes = stackalloc byte[32];
        WriteBigEndian(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    public readonly void WriteBigEndian(Span<byte> bytes32)
    {
        BinaryPrimitives.WriteUInt64BigEndian(bytes32, L3);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32[8..], L2);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32[16..], L1);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32[24..], L0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Equal(in U256 a, in U256 b) => ((a.L0 ^ b.L0) | (a.L1 ^ b.L1) | (a.L2 ^ b.L2) | (a.L3 ^ b.L3)) == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LessThan(in U256 a, in U256 b)
    {
        if (a.L3 != b.L3)
        {
            return a.L3 < b.L3;
        }

        if (a.L2 != b.L2)
        {
            return a.L2 < b.L2;
        }

        return a.L1 != b.L1 ? a.L1 < b.L1 : a.L0 < b.L0;
    }

    /// <summary>r = a + b mod 2^256; returns the carry out (0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(in U256 a, in U256 b, out U256 r)
    {
        ulong c = 0;
        var r0 = AddCarry(a.L0, b.L0, ref c);
        var r1 = AddCarry(a.L1, b.L1, ref c);
        var r2 = AddCarry(a.L2, b.L2, ref c);
        var r3 = AddCarry(a.L3, b.L3, ref c);
        r = new U256(r0, r1, r2, r3);
        return c;
    }

    /// <summary>r = a - b mod 2^256; returns the borrow out (0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Sub(in U256 a, in U256 b, out U256 r)
    {
        ulong borrow = 0;
        var r0 = SubBorrow(a.L0, b.L0, ref borrow);
        var r1 = SubBorrow(a.L1, b.L1, ref borrow);
        var r2 = SubBorrow(a.L2, b.L2, ref borrow);
        var r3 = SubBorrow(a.L3, b.L3, ref borrow);
        r = new U256(r0, r1, r2, r3);
        return borrow;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddCarry(ulong a, ulong b, ref ulong carry)
    {
        var s = a + b;
        var c1 = s < a ? 1UL : 0UL;
        var t = s + carry;
        var c2 = t < s ? 1UL : 0UL;
        carry = c1 | c2;
        return t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubBorrow(ulong a, ulong b, ref ulong borrow)
    {
        var d = a - b;
        var b1 = a < b ? 1UL : 0UL;
        var t = d - borrow;
        var b2 = d < borrow ? 1UL : 0UL;
        borrow = b1 | b2;
        return t;
    }

    /// <summary>a * b + c + d as (returned high, <paramref name="lo"/>): never overflows 128 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulAdd(ulong a, ulong b, ulong c, ulong d, out ulong lo)
    {
        var hi = Math.BigMul(a, b, out var l);
        l += c;
        hi += l < c ? 1UL : 0UL;
        l += d;
        hi += l < d ? 1UL : 0UL;
        lo = l;
        return hi;
    }

    public override readonly string ToString() => $"{L3:x16}{L2:x16}{L1:x16}{L0:x16}";
}

/// <summary>
/// GF(p) in Montgomery form (a is held as a·2^256 mod p), always fully reduced to [0, p) so that equal elements have
/// equal limbs. p ≡ -1 (mod 2^64), so the Montgomery factor of each reduction step is the low limb itself, and p's
/// limbs (2^64 - 1, 2^32 - 1, 0, 2^64 - 2^32 + 1) turn most of the multiple of p added into shifts.
/// </summary>
internal static class P256Field
{
    public static readonly U256 P = new(0xFFFFFFFFFFFFFFFF, 0x00000000FFFFFFFF, 0, 0xFFFFFFFF00000001);
    private const ulong P3 = 0xFFFFFFFF00000001;

    /// <summary>1 in Montgomery form: 2^256 mod p.</summary>
    public static readonly U256 One = U256.FromBigInteger((BigInteger.One << 256) % P.ToBigInteger());

    /// <summary>2^512 mod p: Montgomery multiplication by it converts into Montgomery form.</summary>
    private static readonly U256 R2 = U256.FromBigInteger((BigInteger.One << 512) % P.ToBigInteger());

    /// <summary>r = a·b·2^-256 mod p (CIOS), for a, b in [0, p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Mul(in U256 a, in U256 b, out U256 r)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3;
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
        Row(a0, a1, a2, a3, b.L0, ref t0, ref t1, ref t2, ref t3, ref t4);
        Row(a0, a1, a2, a3, b.L1, ref t0, ref t1, ref t2, ref t3, ref t4);
        Row(a0, a1, a2, a3, b.L2, ref t0, ref t1, ref t2, ref t3, ref t4);
        Row(a0, a1, a2, a3, b.L3, ref t0, ref t1, ref t2, ref t3, ref t4);
        Final(t0, t1, t2, t3, t4, out r);
    }

    /// <summary>r = a²·2^-256 mod p: the six cross products once, doubled, then the four squares.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sqr(in U256 a, out U256 r)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3;
        var h = U256.MulAdd(a0, a1, 0, 0, out var c1);
        h = U256.MulAdd(a0, a2, h, 0, out var c2);
        var c4 = U256.MulAdd(a0, a3, h, 0, out var c3);
        h = U256.MulAdd(a1, a2, c3, 0, out c3);
        var c5 = U256.MulAdd(a1, a3, c4, h, out c4);
        var c6 = U256.MulAdd(a2, a3, c5, 0, out c5);

        var c7 = c6 >> 63;
        c6 = (c6 << 1) | (c5 >> 63);
        c5 = (c5 << 1) | (c4 >> 63);
        c4 = (c4 << 1) | (c3 >> 63);
        c3 = (c3 << 1) | (c2 >> 63);
        c2 = (c2 << 1) | (c1 >> 63);
        c1 <<= 1;

        var s0 = Math.BigMul(a0, a0, out var t0);
        var s1 = Math.BigMul(a1, a1, out var l1);
        var s2 = Math.BigMul(a2, a2, out var l2);
        var s3 = Math.BigMul(a3, a3, out var l3);
        ulong carry = 0;
        var t1 = U256.AddCarry(c1, s0, ref carry);
        var t2 = U256.AddCarry(c2, l1, ref carry);
        var t3 = U256.AddCarry(c3, s1, ref carry);
        var t4 = U256.AddCarry(c4, l2, ref carry);
        var t5 = U256.AddCarry(c5, s2, ref carry);
        var t6 = U256.AddCarry(c6, l3, ref carry);
        var t7 = c7 + s3 + carry;
        Reduce(t0, t1, t2, t3, t4, t5, t6, t7, out r);
    }

    /// <summary>
    /// Montgomery reduction of t = t0..t7 &lt; p·2^256: four steps on the low half, each adding m·p for m = its low limb
    /// (see <see cref="Row"/>) and shifting down a limb, then the high half added; the sum is below 2p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Reduce(ulong t0, ulong t1, ulong t2, ulong t3, ulong t4, ulong t5, ulong t6, ulong t7, out U256 r)
    {
        ReduceStep(ref t0, ref t1, ref t2, ref t3);
        ReduceStep(ref t0, ref t1, ref t2, ref t3);
        ReduceStep(ref t0, ref t1, ref t2, ref t3);
        ReduceStep(ref t0, ref t1, ref t2, ref t3);
        ulong carry = 0;
        t0 = U256.AddCarry(t0, t4, ref carry);
        t1 = U256.AddCarry(t1, t5, ref carry);
        t2 = U256.AddCarry(t2, t6, ref carry);
        t3 = U256.AddCarry(t3, t7, ref carry);
        Final(t0, t1, t2, t3, carry, out r);
    }

    /// <summary>(t + m·p) / 2^64 for m = t0: below 2^256 again whenever t is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReduceStep(ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3)
    {
        var m = t0;
        ulong carry = 0;
        t0 = U256.AddCarry(t1, m << 32, ref carry);
        t1 = U256.AddCarry(t2, m >> 32, ref carry);
        t3 = U256.MulAdd(m, P3, t3, carry, out t2);
    }

    /// <summary>
    /// t = (t + a·bi + m·p) / 2^64 with m = the low limb of t + a·bi. With t below 2p on entry it stays below 2p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(ulong a0, ulong a1, ulong a2, ulong a3, ulong bi, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4)
    {
        var c = U256.MulAdd(a0, bi, t0, 0, out var u0);
        c = U256.MulAdd(a1, bi, t1, c, out var u1);
        c = U256.MulAdd(a2, bi, t2, c, out var u2);
        c = U256.MulAdd(a3, bi, t3, c, out var u3);
        var u4 = t4 + c;
        var u5 = u4 < c ? 1UL : 0UL;

        // u + m·p with m = u0: m·p = m·2^256 - m·2^224 + m·2^192 + m·2^96 - m, and u0 - m = 0, so the sum is
        // u - u0 + m·2^96 + m·(2^64 - 2^32 + 1)·2^192; dividing by 2^64 shifts each limb down by one.
        var m = u0;
        ulong carry = 0;
        t0 = U256.AddCarry(u1, m << 32, ref carry);
        t1 = U256.AddCarry(u2, m >> 32, ref carry);
        var hi = U256.MulAdd(m, P3, u3, carry, out t2);
        carry = 0;
        t3 = U256.AddCarry(u4, hi, ref carry);
        t4 = u5 + carry;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Final(ulong t0, ulong t1, ulong t2, ulong t3, ulong t4, out U256 r)
    {
        // t < 2p: subtract p once when t >= p. Selected by a mask, not a branch: the outcome is close to a coin toss,
        // and a mispredicted branch costs as much as a fifth of a multiplication.
        ulong borrow = 0;
        var s0 = U256.SubBorrow(t0, 0xFFFFFFFFFFFFFFFF, ref borrow);
        var s1 = U256.SubBorrow(t1, 0x00000000FFFFFFFF, ref borrow);
        var s2 = U256.SubBorrow(t2, 0, ref borrow);
        var s3 = U256.SubBorrow(t3, P3, ref borrow);
        _ = U256.SubBorrow(t4, 0, ref borrow);
        var keep = 0 - borrow;
        r = new U256((t0 & keep) | (s0 & ~keep), (t1 & keep) | (s1 & ~keep), (t2 & keep) | (s2 & ~keep), (t3 & keep) | (s3 & ~keep));
    }

    /// <summary>r = a + b mod p, for a, b in [0, p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(in U256 a, in U256 b, out U256 r)
    {
        var carry = U256.Add(a, b, out var s);
        ulong borrow = 0;
        var d0 = U256.SubBorrow(s.L0, 0xFFFFFFFFFFFFFFFF, ref borrow);
        var d1 = U256.SubBorrow(s.L1, 0x00000000FFFFFFFF, ref borrow);
        var d2 = U256.SubBorrow(s.L2, 0, ref borrow);
        var d3 = U256.SubBorrow(s.L3, P3, ref borrow);

        // The 257-bit sum is below p only when it has no carry and subtracting p borrows.
        var keep = 0 - (borrow & ~carry);
        r = new U256((s.L0 & keep) | (d0 & ~keep), (s.L1 & keep) | (d1 & ~keep), (s.L2 & keep) | (d2 & ~keep), (s.L3 & keep) | (d3 & ~keep));
    }

    /// <summary>r = a - b mod p, for a, b in [0, p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sub(in U256 a, in U256 b, out U256 r)
    {
        var borrow = U256.Sub(a, b, out var d);
        var mask = 0 - borrow;
        ulong carry = 0;
        var r0 = U256.AddCarry(d.L0, 0xFFFFFFFFFFFFFFFF & mask, ref carry);
        var r1 = U256.AddCarry(d.L1, 0x00000000FFFFFFFF & mask, ref carry);
        var r2 = U256.AddCarry(d.L2, 0, ref carry);
        var r3 = U256.AddCarry(d.L3, P3 & mask, ref carry);
        r = new U256(r0, r1, r2, r3);
    }

    /// <summary>r = -a mod p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Neg(in U256 a, out U256 r)
    {
        if (a.IsZero)
        {
            r = default;
        }
        else
        {
            U256.Sub(P, a, out r);
        }
    }

    /// <summary>Into Montgomery form; <paramref name="a"/> must be below p.</summary>
    public static void ToMontgomery(in U256 a, out U256 r) => Mul(a, R2, out r);

    public static void FromMontgomery(in U256 a, out U256 r) => Mul(a, new U256(1, 0, 0, 0), out r);

    /// <summary>r = a^-1 (Montgomery form in and out) as a^(p-2), Fermat; a must not be zero. Used only to build tables.</summary>
    public static void Invert(in U256 a, out U256 r)
    {
        U256.Sub(P, new U256(2, 0, 0, 0), out var e);
        var x = One;
        var b = a;
        for (var i = 0; i < 256; i++)
        {
            var limb = i switch { < 64 => e.L0, < 128 => e.L1, < 192 => e.L2, _ => e.L3 };
            if (((limb >> (i & 63)) & 1) != 0)
            {
                Mul(x, b, out x);
            }

            Sqr(b, out b);
        }

        r = x;
    }
}

/// <summary>
/// Integers modulo the group order n, for the scalars of a verification: Montgomery multiplication (a·b·2^-256 mod n)
/// and a binary inversion. Inputs and outputs are in [0, n).
/// </summary>
internal static class P256Order
{
    public static readonly U256 N = new(0xF3B9CAC2FC632551, 0xBCE6FAADA7179E84, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFF00000000);

    /// <summary>-n^-1 mod 2^64, by Newton's iteration from n's low limb (each step doubles the correct bits).</summary>
    private static readonly ulong NegInverse = ComputeNegInverse(0xF3B9CAC2FC632551);

    /// <summary>2^512 mod n: Montgomery multiplication by it multiplies by 2^256.</summary>
    public static readonly U256 R2 = U256.FromBigInteger((BigInteger.One << 512) % N.ToBigInteger());

    private static ulong ComputeNegInverse(ulong n0)
    {
        var x = n0; // correct to 3 bits for odd n0 (n0·n0 ≡ 1 mod 8)
        for (var i = 0; i < 5; i++)
        {
            x *= 2 - (n0 * x);
        }

        return 0 - x;
    }

    /// <summary>r = a·b·2^-256 mod n (CIOS).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MontMul(in U256 a, in U256 b, out U256 r)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3;
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
        for (var i = 0; i < 4; i++)
        {
            var bi = i switch { 0 => b.L0, 1 => b.L1, 2 => b.L2, _ => b.L3 };
            var c = U256.MulAdd(a0, bi, t0, 0, out t0);
            c = U256.MulAdd(a1, bi, t1, c, out t1);
            c = U256.MulAdd(a2, bi, t2, c, out t2);
            c = U256.MulAdd(a3, bi, t3, c, out t3);
            var top = t4 + c;
            var t5 = top < c ? 1UL : 0UL;

            var m = t0 * NegInverse;
            c = U256.MulAdd(m, N.L0, t0, 0, out _);
            c = U256.MulAdd(m, N.L1, t1, c, out t0);
            c = U256.MulAdd(m, N.L2, t2, c, out t1);
            c = U256.MulAdd(m, N.L3, t3, c, out t2);
            t3 = top + c;
            t4 = t5 + (t3 < c ? 1UL : 0UL);
        }

        var value = new U256(t0, t1, t2, t3);
        if (t4 != 0 || !U256.LessThan(value, N))
        {
            U256.Sub(value, N, out value);
        }

        r = value;
    }

    /// <summary>
    /// r = a^-1 mod n for a in [1, n), by the binary extended Euclidean algorithm (variable time: public data only).
    /// Invariants: a·x1 ≡ u and a·x2 ≡ v (mod n); each step strips all trailing zero bits of u or v at once, dividing
    /// x1 or x2 by the same power of two modulo n.
    /// </summary>
    public static void Invert(in U256 a, out U256 r)
    {
        var u = a;
        var v = N;
        var x1 = new U256(1, 0, 0, 0);
        var x2 = default(U256);
        while (true)
        {
            StripTwos(ref u, ref x1);
            if (IsOne(u))
            {
                r = x1;
                return;
            }

            StripTwos(ref v, ref x2);
            if (IsOne(v))
            {
                r = x2;
                return;
            }

            if (!U256.LessThan(u, v))
            {
                U256.Sub(u, v, out u);
                SubMod(x1, x2, out x1);
            }
            else
            {
                U256.Sub(v, u, out v);
                SubMod(x2, x1, out x2);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsOne(in U256 a) => ((a.L0 ^ 1) | a.L1 | a.L2 | a.L3) == 0;

    private static void SubMod(in U256 a, in U256 b, out U256 r)
    {
        if (U256.Sub(a, b, out var d) != 0)
        {
            U256.Add(d, N, out d);
        }

        r = d;
    }

    /// <summary>Divides <paramref name="u"/> (non-zero) by its largest power of two, and x by the same power modulo n.</summary>
    private static void StripTwos(ref U256 u, ref U256 x)
    {
        while ((u.L0 & 1) == 0)
        {
            var k = u.L0 == 0 ? 63 : BitOperations.TrailingZeroCount(u.L0);
            u = new U256((u.L0 >> k) | (u.L1 << (64 - k)), (u.L1 >> k) | (u.L2 << (64 - k)), (u.L2 >> k) | (u.L3 << (64 - k)), u.L3 >> k);

            // x + m·n ≡ 0 (mod 2^k) for m = x·(-n^-1) mod 2^k; (x + m·n) / 2^k < n when x < n and m < 2^k.
            var m = (x.L0 * NegInverse) & ((1UL << k) - 1);
            var c = U256.MulAdd(m, N.L0, x.L0, 0, out var s0);
            c = U256.MulAdd(m, N.L1, x.L1, c, out var s1);
            c = U256.MulAdd(m, N.L2, x.L2, c, out var s2);
            c = U256.MulAdd(m, N.L3, x.L3, c, out var s3);
            x = new U256((s0 >> k) | (s1 << (64 - k)), (s1 >> k) | (s2 << (64 - k)), (s2 >> k) | (s3 << (64 - k)), (s3 >> k) | (c << (64 - k)));
        }
    }
}

/// <summary>
/// Points of P-256: Jacobian (X/Z^2, Y/Z^3) accumulators and affine table points, coordinates in Montgomery form.
/// Additions handle every case (either operand at infinity, equal points, opposite points) by checking, not assuming.
/// </summary>
internal static class P256Curve
{
    /// <summary>b in normal form.</summary>
    public static readonly U256 B = new(0x3BCE3C3E27D2604B, 0x651D06B0CC53B0F6, 0xB3EBBD55769886BC, 0x5AC635D8AA3A93E7);

    public static readonly U256 Gx = new(0xF4A13945D898C296, 0x77037D812DEB33A0, 0xF8BCE6E563A440F2, 0x6B17D1F2E12C4247);
    public static readonly U256 Gy = new(0xCBB6406837BF51F5, 0x2BCE33576B315ECE, 0x8EE7EB4A7C0F9E16, 0x4FE342E2FE1A7F9B);

    /// <summary>Whether (x, y), in normal form, is a point of the curve: both coordinates below p and y^2 = x^3 - 3x + b.</summary>
    public static bool IsOnCurve(in U256 x, in U256 y)
    {
        if (!U256.LessThan(x, P256Field.P) || !U256.LessThan(y, P256Field.P))
        {
            return false;
        }

        P256Field.ToMontgomery(x, out var xm);
        P256Field.ToMontgomery(y, out var ym);
        P256Field.ToMontgomery(B, out var bm);
        P256Field.Sqr(ym, out var lhs);
        P256Field.Sqr(xm, out var rhs);
        P256Field.Mul(rhs, xm, out rhs);
        P256Field.Add(xm, xm, out var threeX);
        P256Field.Add(threeX, xm, out threeX);
        P256Field.Sub(rhs, threeX, out rhs);
        P256Field.Add(rhs, bm, out rhs);
        return U256.Equal(lhs, rhs);
    }

    /// <summary>
    /// (X, Y, Z) += (x2, y2), affine; <paramref name="infinity"/> marks the accumulator as the point at infinity (its
    /// coordinates then mean nothing). madd of Hankerson-Menezes-Vanstone (8M + 3S), with the exceptional cases first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddAffine(ref U256 x, ref U256 y, ref U256 z, ref bool infinity, in U256 x2, in U256 y2)
    {
        if (infinity)
        {
            x = x2;
            y = y2;
            z = P256Field.One;
            infinity = false;
            return;
        }

        P256Field.Sqr(z, out var zz);
        P256Field.Mul(x2, zz, out var u2);
        P256Field.Mul(zz, z, out var zzz);
        P256Field.Mul(y2, zzz, out var s2);
        P256Field.Sub(u2, x, out var h);
        P256Field.Sub(s2, y, out var r);
        if (h.IsZero)
        {
            if (r.IsZero)
            {
                // Same point: double it.
                Double(ref x, ref y, ref z);
            }
            else
            {
                // Same x, other y: the points are opposite and their sum is the point at infinity.
                infinity = true;
            }

            return;
        }

        P256Field.Sqr(h, out var hh);
        P256Field.Mul(hh, h, out var hhh);
        P256Field.Mul(x, hh, out var v);
        P256Field.Sqr(r, out var x3);
        P256Field.Sub(x3, hhh, out x3);
        P256Field.Sub(x3, v, out x3);
        P256Field.Sub(x3, v, out x3);
        P256Field.Sub(v, x3, out var y3);
        P256Field.Mul(y3, r, out y3);
        P256Field.Mul(y, hhh, out var t);
        P256Field.Sub(y3, t, out y3);
        P256Field.Mul(z, h, out z);
        x = x3;
        y = y3;
    }

    /// <summary>
    /// (X, Y, Z) doubled (dbl-2001-b, a = -3). P-256 has odd order, so no point of it has y = 0 and the double of a
    /// point other than infinity is never infinity.
    /// </summary>
    public static void Double(ref U256 x, ref U256 y, ref U256 z)
    {
        P256Field.Sqr(z, out var delta);
        P256Field.Sqr(y, out var gamma);
        P256Field.Mul(x, gamma, out var beta);
        P256Field.Sub(x, delta, out var t0);
        P256Field.Add(x, delta, out var t1);
        P256Field.Mul(t0, t1, out var alpha);
        P256Field.Add(alpha, alpha, out t0);
        P256Field.Add(t0, alpha, out alpha);

        P256Field.Add(y, z, out var z3);
        P256Field.Sqr(z3, out z3);
        P256Field.Sub(z3, gamma, out z3);
        P256Field.Sub(z3, delta, out z3);

        P256Field.Add(beta, beta, out var beta4);
        P256Field.Add(beta4, beta4, out beta4);
        P256Field.Sqr(alpha, out var x3);
        P256Field.Sub(x3, beta4, out x3);
        P256Field.Sub(x3, beta4, out x3);

        P256Field.Sub(beta4, x3, out var y3);
        P256Field.Mul(y3, alpha, out y3);
        P256Field.Sqr(gamma, out var g2);
        P256Field.Add(g2, g2, out g2);
        P256Field.Add(g2, g2, out g2);
        P256Field.Add(g2, g2, out g2);
        P256Field.Sub(y3, g2, out y3);

        x = x3;
        y = y3;
        z = z3;
    }

    /// <summary>Jacobian (X, Y, Z) to affine, Montgomery form; Z must not be zero.</summary>
    public static void ToAffine(in U256 x, in U256 y, in U256 z, out U256 ax, out U256 ay)
    {
        P256Field.Invert(z, out var zi);
        P256Field.Sqr(zi, out var zi2);
        P256Field.Mul(zi2, zi, out var zi3);
        P256Field.Mul(x, zi2, out ax);
        P256Field.Mul(y, zi3, out ay);
    }
}
