using System.Numerics;
using System.Security.Cryptography;
using FsCheck.Xunit;
using GameSignals.Fraud;

namespace GameSignals.Tests.Fraud;

/// <summary>
/// <see cref="P256FixedKeyVerifier"/> against the platform's <see cref="ECDsa"/> as the oracle, and against a plain
/// BigInteger double-and-add (written here from the curve's definition) where signatures are constructed directly.
/// </summary>
public sealed class P256FixedKeyVerifierTests
{
    private static readonly BigInteger P = Hex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
    private static readonly BigInteger N = Hex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
    private static readonly BigInteger B = Hex("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B");
    private static readonly Point G = new(
        Hex("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"),
        Hex("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"));

    private const int MessagesPerKey = 8;

    [Property(MaxTest = 300)]
    public void Signatures_by_the_platform_verify_and_one_flipped_bit_is_judged_as_the_platform_judges_it(int seed)
    {
        var random = new Random(seed);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(false);
        var verifier = new P256FixedKeyVerifier(parameters.Q.X, parameters.Q.Y);
        using var platform = PublicKey(parameters.Q.X!, parameters.Q.Y!);
        for (var i = 0; i < MessagesPerKey; i++)
        {
            var message = new byte[random.Next(0, 200)];
            random.NextBytes(message);
            var hash = SHA256.HashData(message);
            var signature = key.SignHash(hash);
            Assert.True(verifier.Verify(hash, signature), Describe(parameters, hash, signature));
            Assert.True(platform.VerifyHash(hash, signature));

            // One bit of r, of s, or of the hash.
            var bit = random.Next(3 * 256);
            var flippedSignature = (byte[])signature.Clone();
            var flippedHash = (byte[])hash.Clone();
            var target = bit < 512 ? flippedSignature.AsSpan(bit / 256 * 32, 32) : flippedHash.AsSpan();
            target[(bit % 256) / 8] ^= (byte)(1 << (bit % 8));
            Assert.Equal(platform.VerifyHash(flippedHash, flippedSignature), verifier.Verify(flippedHash, flippedSignature));
        }
    }

    [Property(MaxTest = 2000)]
    public void Field_and_scalar_arithmetic_agree_with_big_integers(int seed)
    {
        var random = new Random(seed);
        var a = seed % 7 == 0 ? P - 1 - random.Next(3) : RandomBelow(random, P);
        var b = seed % 5 == 0 ? P - 1 : RandomBelow(random, P);
        var rInverse = Inverse(BigInteger.One << 256, P);
        var ua = U256.FromBigInteger(a);
        var ub = U256.FromBigInteger(b);

        P256Field.Mul(ua, ub, out var product);
        P256Field.Sqr(ua, out var square);
        P256Field.Add(ua, ub, out var sum);
        P256Field.Sub(ua, ub, out var difference);
        Assert.Equal(a * b * rInverse % P, product.ToBigInteger());
        Assert.Equal(a * a * rInverse % P, square.ToBigInteger());
        Assert.Equal((a + b) % P, sum.ToBigInteger());
        Assert.Equal(Mod(a - b, P), difference.ToBigInteger());

        var k = RandomBelow(random, N - 1) + 1;
        var j = RandomBelow(random, N);
        P256Order.Invert(U256.FromBigInteger(k), out var inverse);
        P256Order.MontMul(U256.FromBigInteger(k), U256.FromBigInteger(j), out var scalarProduct);
        Assert.Equal(Inverse(k, N), inverse.ToBigInteger());
        Assert.Equal(k * j * Inverse(BigInteger.One << 256, N) % N, scalarProduct.ToBigInteger());
    }

    [Fact]
    public void Both_s_and_n_minus_s_verify_as_the_platform_accepts_both()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verifier = P256FixedKeyVerifier.TryCreate(key)!;
        var hash = SHA256.HashData("high s"u8);
        var signature = key.SignHash(hash);
        var s = ToInteger(signature.AsSpan(32));
        var other = Signature(ToInteger(signature.AsSpan(0, 32)), N - s);

        Assert.True(verifier.Verify(hash, signature));
        Assert.True(key.VerifyHash(hash, other));
        Assert.True(verifier.Verify(hash, other));
    }

    public static TheoryData<string, string> OutOfRange => new()
    {
        { "0", "1" },
        { "1", "0" },
        { "0", "0" },
        { "n", "1" },
        { "1", "n" },
        { "n+1", "1" },
        { "1", "n+1" },
        { "max", "1" },
        { "1", "max" },
        { "max", "max" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void R_or_s_of_zero_or_at_least_n_is_rejected_as_the_platform_rejects_it(string r, string s)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verifier = P256FixedKeyVerifier.TryCreate(key)!;
        var hash = SHA256.HashData("range"u8);
        var valid = key.SignHash(hash);
        BigInteger Value(string name) => name switch
        {
            "n" => N,
            "n+1" => N + 1,
            "max" => (BigInteger.One << 256) - 1,
            _ => BigInteger.Parse(name, System.Globalization.CultureInfo.InvariantCulture),
        };

        // The out-of-range value in place of one half of a valid signature; the other half stays valid where it is 1.
        var rValue = r == "1" ? ToInteger(valid.AsSpan(0, 32)) : Value(r);
        var sValue = s == "1" ? ToInteger(valid.AsSpan(32)) : Value(s);
        var signature = Signature(rValue, sValue);

        Assert.False(key.VerifyHash(hash, signature));
        Assert.False(verifier.Verify(hash, signature));
    }

    [Fact]
    public void An_all_ones_signature_and_signatures_of_other_lengths_are_rejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verifier = P256FixedKeyVerifier.TryCreate(key)!;
        var hash = SHA256.HashData("lengths"u8);
        var valid = key.SignHash(hash);

        Assert.False(verifier.Verify(hash, Enumerable.Repeat((byte)0xFF, 64).ToArray()));
        Assert.False(verifier.Verify(hash, valid.AsSpan(0, 63)));
        Assert.False(verifier.Verify(hash, [.. valid, 0]));
        Assert.False(verifier.Verify(hash, []));
        Assert.Throws<ArgumentException>(() => verifier.Verify(hash.AsSpan(0, 31), valid));
    }

    [Theory]
    [InlineData("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")]
    [InlineData("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")] // n: reduces to 0, so u1 = 0
    [InlineData("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632552")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    public void A_hash_at_or_above_n_is_reduced_mod_n_as_the_platform_reduces_it(string hashHex)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verifier = P256FixedKeyVerifier.TryCreate(key)!;
        var hash = Convert.FromHexString(hashHex);
        var signature = key.SignHash(hash);
        var reduced = Bytes(ToInteger(hash) % N);

        Assert.True(verifier.Verify(hash, signature));
        Assert.Equal(key.VerifyHash(reduced, signature), verifier.Verify(reduced, signature));
        Assert.True(verifier.Verify(reduced, signature));
    }

    /// <summary>
    /// x(R) in [n, p) happens for about one signature in 2^128, so none can be found by signing. One is constructed
    /// instead: pick R with x ≥ n on the curve, a hash and s, so u1 = z/s and u2 = r/s with r = x(R) - n; the key is
    /// then Q = (R - u1·G)/u2, whose private key nobody knows, and the platform verifies the result too.
    /// </summary>
    [Fact]
    public void A_signature_whose_R_has_x_at_or_above_n_verifies_through_r_plus_n()
    {
        var rPoint = PointWithXAtLeast(N);
        var r = rPoint.X - N;
        var z = ToInteger(SHA256.HashData("x above n"u8)) % N;
        var s = Hex("1234567890ABCDEF1234567890ABCDEF1234567890ABCDEF1234567890ABCDEF") % N;
        var w = Inverse(s, N);
        var u1 = z * w % N;
        var u2 = r * w % N;
        var q = Multiply(Inverse(u2, N), Add(rPoint, Negate(Multiply(u1, G)))!.Value)!.Value;
        var hash = Bytes(z);
        var signature = Signature(r, s);
        var verifier = new P256FixedKeyVerifier(Bytes(q.X), Bytes(q.Y));
        using var platform = PublicKey(Bytes(q.X), Bytes(q.Y));

        Assert.True(platform.VerifyHash(hash, signature));
        Assert.True(verifier.Verify(hash, signature));

        // The same R with r = x(R) itself is out of range, and with r + 1 it is another signature.
        Assert.False(verifier.Verify(hash, Signature(rPoint.X, s)));
        Assert.False(verifier.Verify(hash, Signature(r + 1, s)));
    }

    public static TheoryData<string> Keys => new() { "G", "-G", "2G", "3G" };

    /// <summary>
    /// Keys that are small multiples of G make the additions of u1·G and u2·Q meet equal and opposite points (the
    /// accumulator equal to the table point, opposite to it, at infinity and added to again); each case's verdict is
    /// the reference double-and-add's and the platform's.
    /// </summary>
    [Theory]
    [MemberData(nameof(Keys))]
    public void The_exceptional_additions_give_the_reference_verdict(string keyName)
    {
        var k = keyName switch { "G" => BigInteger.One, "-G" => N - 1, "2G" => 2, _ => 3 };
        var q = Multiply(k, G)!.Value;
        var verifier = new P256FixedKeyVerifier(Bytes(q.X), Bytes(q.Y));
        using var platform = PublicKey(Bytes(q.X), Bytes(q.Y));
        var random = new Random(keyName.Length);
        var cases = new List<(BigInteger U1, BigInteger U2)>();
        for (var i = 0; i < 40; i++)
        {
            var u = RandomScalar(random);
            var small = (BigInteger)random.Next(1, 1000);

            // u1·G + u2·kG: equal digits (u2 = u1 with k = 1), opposite ones (k = -1), sums to infinity, and neighbours.
            cases.Add((u, u));
            cases.Add((u, (N - u) * Inverse(k, N) % N));
            cases.Add((u, (N - u + small) * Inverse(k, N) % N));
            cases.Add((u, (u + (small << 8)) % N));
            cases.Add((0, u));
            cases.Add((small, small));

            // With Q = -G: small·G, then small·Q reaches infinity and the next window's digit starts again from it.
            cases.Add((small, small + ((small + 1) << P256FixedKeyVerifier.WindowBits)));
        }

        cases.Add((1, N - 1));
        cases.Add((255, 1));
        cases.Add((128, N - 128));

        var accepted = 0;
        foreach (var (u1, u2) in cases)
        {
            if (u2.IsZero)
            {
                continue;
            }

            // r, s and z for which verification computes exactly u1·G + u2·Q: w = u2/r, s = 1/w, z = u1·s.
            var sum = Add(Multiply(u1, G), Multiply(u2, q));
            var r = sum is { } point && point.X % N != 0 ? point.X % N : 1 + (u1 % 1000);
            var s = r * Inverse(u2, N) % N;
            var z = u1 * s % N;
            var hash = Bytes(z);
            foreach (var candidate in new[] { r, (r + 1) % N })
            {
                var signature = Signature(candidate, s);
                var expected = sum is { } p && p.X % N == candidate;
                Assert.Equal(expected, platform.VerifyHash(hash, signature));
                Assert.Equal(expected, verifier.Verify(hash, signature));
                accepted += expected ? 1 : 0;
            }
        }

        Assert.True(accepted > cases.Count / 2);
    }

    [Fact]
    public void A_key_not_on_the_curve_is_rejected_as_the_platform_rejects_it()
    {
        var x = Bytes(G.X);
        var y = Bytes(G.Y + 1);

        Assert.ThrowsAny<CryptographicException>(() => PublicKey(x, y));
        Assert.Throws<CryptographicException>(() => new P256FixedKeyVerifier(x, y));
    }

    [Fact]
    public void The_point_at_infinity_and_coordinates_of_p_or_more_are_rejected()
    {
        // (0, 0), the usual encoding of infinity, is not on the curve (b is not 0).
        Assert.Throws<CryptographicException>(() => new P256FixedKeyVerifier(new byte[32], new byte[32]));

        // A point with a small x, written with x + p: the same residue, but not a canonical coordinate.
        var point = PointWithXAtLeast(0);
        Assert.True(point.X + P < BigInteger.One << 256);
        _ = new P256FixedKeyVerifier(Bytes(point.X), Bytes(point.Y));
        Assert.Throws<CryptographicException>(() => new P256FixedKeyVerifier(Bytes(point.X + P), Bytes(point.Y)));
        Assert.Throws<CryptographicException>(() => new P256FixedKeyVerifier(Bytes(point.X), Bytes(P)));
        Assert.Throws<ArgumentException>(() => new P256FixedKeyVerifier(new byte[31], new byte[32]));
    }

    [Fact]
    public void Only_a_p256_key_gets_a_fixed_key_verifier()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Null(P256FixedKeyVerifier.TryCreate(p384));
        Assert.NotNull(P256FixedKeyVerifier.TryCreate(p256));
    }

    [Fact]
    public void A_shared_verifier_is_one_per_key_and_none_for_another_curve()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var shared = P256FixedKeyVerifier.Shared(key);
        var hash = SHA256.HashData("shared"u8);

        Assert.Same(shared, P256FixedKeyVerifier.Shared(key));
        Assert.NotSame(shared, P256FixedKeyVerifier.Shared(other));
        Assert.Null(P256FixedKeyVerifier.Shared(p384));
        Assert.True(shared!.Verify(hash, key.SignHash(hash)));
        Assert.False(shared.Verify(hash, other.SignHash(hash)));
    }

    [Fact]
    public void One_verifier_gives_the_same_verdicts_from_many_threads()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var verifier = P256FixedKeyVerifier.TryCreate(key)!;
        var hashes = Enumerable.Range(0, 64).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        var signatures = hashes.Select(h => key.SignHash(h)).ToArray();

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < hashes.Length; i++)
            {
                Assert.True(verifier.Verify(hashes[i], signatures[i]));
                Assert.False(verifier.Verify(hashes[(i + 1) % hashes.Length], signatures[i]));
            }
        });
    }

    private static string Describe(ECParameters key, byte[] hash, byte[] signature) =>
        $"Q=({Convert.ToHexString(key.Q.X!)}, {Convert.ToHexString(key.Q.Y!)}) hash={Convert.ToHexString(hash)} sig={Convert.ToHexString(signature)}";

    private static ECDsa PublicKey(byte[] x, byte[] y) =>
        ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });

    private static BigInteger RandomScalar(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return ToInteger(bytes) % N;
    }

    private static BigInteger RandomBelow(Random random, BigInteger bound)
    {
        var bytes = new byte[33];
        random.NextBytes(bytes);
        return ToInteger(bytes) % bound;
    }

    private static BigInteger Hex(string hex) => BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private static BigInteger ToInteger(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    /// <summary>32 bytes big-endian (the value must be below 2^256).</summary>
    private static byte[] Bytes(BigInteger value)
    {
        var minimal = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var bytes = new byte[32];
        minimal.CopyTo(bytes, 32 - minimal.Length);
        return bytes;
    }

    private static byte[] Signature(BigInteger r, BigInteger s) => [.. Bytes(r), .. Bytes(s)];

    private static BigInteger Mod(BigInteger a, BigInteger m) => ((a % m) + m) % m;

    /// <summary>a^-1 mod m by the extended Euclidean algorithm (m prime, a not a multiple of it).</summary>
    private static BigInteger Inverse(BigInteger a, BigInteger m)
    {
        BigInteger oldR = Mod(a, m), r = m, oldS = 1, s = 0;
        while (!r.IsZero)
        {
            var quotient = BigInteger.DivRem(oldR, r, out var remainder);
            (oldR, r) = (r, remainder);
            (oldS, s) = (s, oldS - (quotient * s));
        }

        return Mod(oldS, m);
    }

    /// <summary>The first curve point whose x is at least <paramref name="from"/> (p ≡ 3 mod 4: a square root is a^((p+1)/4)).</summary>
    private static Point PointWithXAtLeast(BigInteger from)
    {
        for (var x = from; ; x++)
        {
            var rhs = Mod((x * x * x) - (3 * x) + B, P);
            var y = BigInteger.ModPow(rhs, (P + 1) / 4, P);
            if (y * y % P == rhs)
            {
                return new Point(x, y);
            }
        }
    }

    private static Point Negate(Point? point) => new(point!.Value.X, Mod(-point.Value.Y, P));

    /// <summary>Affine addition by the chord-and-tangent rule; null is the point at infinity.</summary>
    private static Point? Add(Point? a, Point? b)
    {
        if (a is not { } p1)
        {
            return b;
        }

        if (b is not { } p2)
        {
            return a;
        }

        BigInteger lambda;
        if (p1.X == p2.X)
        {
            if (Mod(p1.Y + p2.Y, P).IsZero)
            {
                return null;
            }

            lambda = Mod(3 * ((p1.X * p1.X) - 1) * Inverse(2 * p1.Y, P), P);
        }
        else
        {
            lambda = Mod((p2.Y - p1.Y) * Inverse(p2.X - p1.X, P), P);
        }

        var x = Mod((lambda * lambda) - p1.X - p2.X, P);
        return new Point(x, Mod((lambda * (p1.X - x)) - p1.Y, P));
    }

    /// <summary>k·point by double-and-add from the top bit.</summary>
    private static Point? Multiply(BigInteger k, Point point)
    {
        Point? result = null;
        for (var bit = (int)k.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = Add(result, result);
            if (!(k >> bit).IsEven)
            {
                result = Add(result, point);
            }
        }

        return result;
    }

    private readonly record struct Point(BigInteger X, BigInteger Y);
}
