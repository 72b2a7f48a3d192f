namespace GameSignals.Pipeline.State;

/// <summary>
/// A set of 64-bit digests in one array, by open addressing with linear probing: a look-up reads one run of slots, where
/// <see cref="HashSet{T}"/> reads a bucket, then the entry it names, two cache misses in an hour of a million keys that
/// every event looks up. 8 bytes a slot, at most three quarters full: 11 to 21 bytes a key where the set took 20 to 40.
/// Hand-written: the runtime's sets chain through a second array, and no maintained library keeps integers this way.
/// </summary>
/// <remarks>
/// The digests are seeded hashes, spread evenly over 64 bits, so their low bits are the slot. Zero marks an empty slot;
/// the digest zero itself is kept apart. Not thread-safe.
/// </remarks>
internal sealed class DigestSet
{
    private const int MinimumSlots = 16;

    private ulong[] _slots;
    private int _nonZero;
    private bool _hasZero;

    /// <param name="capacity">The keys it should hold before it grows.</param>
    public DigestSet(int capacity = 0) => _slots = NewSlots(SlotsFor(capacity));

    /// <summary>A set of <paramref name="digests"/> (a snapshot's block).</summary>
    public DigestSet(ReadOnlySpan<ulong> digests)
        : this(digests.Length)
    {
        foreach (var digest in digests)
        {
            Add(digest);
        }
    }

    public int Count => _nonZero + (_hasZero ? 1 : 0);

    public bool Contains(ulong digest) => digest == 0 ? _hasZero : _slots[SlotOf(_slots, digest)] == digest;

    /// <summary>The slot a look-up of the digest reads first (<see cref="DuplicateWindow.Load"/>).</summary>
    public ulong FirstSlotOf(ulong digest) => _slots[HomeOf(_slots, digest)];

    /// <summary>Adds the digest; false when it was already held.</summary>
    public bool Add(ulong digest)
    {
        if (digest == 0)
        {
            var added = !_hasZero;
            _hasZero = true;
            return added;
        }

        if ((_nonZero + 1) * 4L > _slots.Length * 3L)
        {
            Grow();
        }

        if (!Place(_slots, digest))
        {
            return false;
        }

        _nonZero++;
        return true;
    }

    /// <summary>Copies the digests, in no particular order, to the start of <paramref name="destination"/>.</summary>
    public void CopyTo(Span<ulong> destination)
    {
        var at = 0;
        foreach (var held in _slots)
        {
            if (held != 0)
            {
                destination[at++] = held;
            }
        }

        if (_hasZero)
        {
            destination[at] = 0;
        }
    }

    /// <summary>
    /// Empty slots, written once before any is read. An hour's slots are a large array that the system gives as untouched pages,
    /// each mapped to the kernel's one zero page until written: the look-ups' reads mapped them so, and the first write to each
    /// then faulted again and had every core flush the old mapping from its TLB, an interrupt to each (2% of a 1M-event replay's
    /// samples, perf). Written first, a page faults once, alone.
    /// </summary>
    private static ulong[] NewSlots(int length)
    {
        var slots = GC.AllocateUninitializedArray<ulong>(length);
        slots.AsSpan().Clear();
        return slots;
    }

    private static int SlotsFor(int capacity)
    {
        var needed = (long)Math.Max(capacity, 1) * 4 / 3 + 1;
        return (int)Math.Max(MinimumSlots, System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)needed));
    }

    /// <summary>Puts a non-zero digest in its slot run; false when it is there already.</summary>
    private static bool Place(ulong[] slots, ulong digest)
    {
        ref var slot = ref slots[SlotOf(slots, digest)];
        if (slot == digest)
        {
            return false;
        }

        slot = digest;
        return true;
    }

    /// <summary>The slot holding a non-zero digest, or the empty one ending its run, where it would go.</summary>
    private static int SlotOf(ulong[] slots, ulong digest)
    {
        var mask = slots.Length - 1;
        var slot = HomeOf(slots, digest);
        while (slots[slot] != digest && slots[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        return slot;
    }

    /// <summary>The slot a digest's run starts at: its low bits.</summary>
    private static int HomeOf(ulong[] slots, ulong digest) => (int)digest & (slots.Length - 1);

    private void Grow()
    {
        var grown = NewSlots(_slots.Length * 2);
        foreach (var held in _slots)
        {
            if (held != 0)
            {
                Place(grown, held);
            }
        }

        _slots = grown;
    }
}
