namespace ClickstreamApi.Consumption;

/// <summary>
/// A bounded buffer of the newest items: one writer appends, any number of readers read at the
/// same time without locks. Every item gets a sequence number (1, 2, 3, ...) that readers can use
/// as a cursor. When full, each append evicts the oldest item; evictions are counted. Each entry can
/// also keep the item's serialized form, made once by the first reader that needs it and shared by
/// the rest (<see cref="GetOrAddSerialized"/>).
/// </summary>
/// <remarks>
/// Each slot is guarded by a per-slot sequence, written around the item like a seqlock: the writer
/// marks the slot busy (-1), stores the item, then stores the item's sequence; a reader accepts an
/// item only if it sees the sequence it expects both before and after reading it. A reader that
/// is lapped by the writer simply stops at the items that were overwritten. Serialized forms sit
/// beside the items, tagged with the sequence they belong to: one written late by a reader that was
/// lapped carries the old sequence, so it is never served for the item that replaced it. A slot's
/// sequence and item share an entry, so an append (which also clears the evicted item's bytes)
/// touches two cache lines, as it did before the bytes were kept here, and a scan reads as many.
/// </remarks>
public sealed class RingBuffer<T>
    where T : class
{
    private readonly Slot[] _slots;
    private readonly Serialized?[] _serialized;
    private long _lastSequence;

    public RingBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _slots = new Slot[capacity];
        _serialized = new Serialized?[capacity];
        Epoch = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()));
    }

    /// <summary>
    /// Names this buffer's numbering: sequences restart at 1 in a new buffer (a restarted service),
    /// so cursors carry the epoch to tell whose sequence they are.
    /// </summary>
    public string Epoch { get; }

    public int Capacity => _slots.Length;

    /// <summary>Sequence of the newest item (0 when empty); also the number of items ever appended.</summary>
    public long LastSequence => Volatile.Read(ref _lastSequence);

    /// <summary>How many items were pushed out by newer ones.</summary>
    public long Evicted => Math.Max(0, LastSequence - Capacity);

    /// <summary>How many items the buffer holds now.</summary>
    public int Count => (int)Math.Min(LastSequence, Capacity);

    /// <summary>Appends an item and returns its sequence. Only one thread may call this.</summary>
    public long Append(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var sequence = _lastSequence + 1;
        var slot = (int)((sequence - 1) % _slots.Length);
        ref var entry = ref _slots[slot];
        Volatile.Write(ref entry.Sequence, -1);
        // The evicted item's bytes go with it (readers check the sequence the bytes carry anyway).
        _serialized[slot] = null;
        Volatile.Write(ref entry.Item, item);
        Volatile.Write(ref entry.Sequence, sequence);
        Volatile.Write(ref _lastSequence, sequence);
        return sequence;
    }

    /// <summary>The item with the given sequence, if it is still in the buffer.</summary>
    public bool TryGet(long sequence, out T? item)
    {
        item = null;
        if (sequence < 1)
        {
            return false;
        }

        ref var entry = ref _slots[(int)((sequence - 1) % _slots.Length)];
        if (Volatile.Read(ref entry.Sequence) != sequence)
        {
            return false;
        }

        var candidate = Volatile.Read(ref entry.Item);
        if (Volatile.Read(ref entry.Sequence) != sequence)
        {
            return false;
        }

        item = candidate;
        return true;
    }

    /// <summary>
    /// The serialized form of <paramref name="item"/>, the item at <paramref name="sequence"/>: made
    /// by <paramref name="serialize"/> the first time a reader asks and kept in the item's entry, so
    /// later readers share the bytes. Two readers asking at once may both serialize (and get equal
    /// bytes). When the buffer no longer holds that item the bytes are made and not kept.
    /// </summary>
    public byte[] GetOrAddSerialized(long sequence, T item, Func<T, byte[]> serialize)
    {
        ArgumentNullException.ThrowIfNull(serialize);
        if (sequence < 1)
        {
            return serialize(item);
        }

        var slot = (int)((sequence - 1) % _slots.Length);
        if (Volatile.Read(ref _serialized[slot]) is { } cached && cached.Sequence == sequence)
        {
            return cached.Bytes;
        }

        var bytes = serialize(item);
        if (TryGet(sequence, out var held) && ReferenceEquals(held, item))
        {
            Volatile.Write(ref _serialized[slot], new Serialized(sequence, bytes));
        }

        return bytes;
    }

    /// <summary>Sequence of the oldest item still held (1 when nothing was evicted yet).</summary>
    public long OldestSequence => Math.Max(1, LastSequence - _slots.Length + 1);

    /// <summary>
    /// Up to <paramref name="limit"/> items after <paramref name="sequence"/>, oldest first, that
    /// match <paramref name="predicate"/>: what a reader that has seen everything up to
    /// <paramref name="sequence"/> reads next. <paramref name="scannedTo"/> is where the next read
    /// continues from (past items that did not match); <paramref name="missed"/> counts items after
    /// <paramref name="sequence"/> that were evicted before this read reached them.
    /// </summary>
    public List<T> After(long sequence, int limit, Func<T, bool>? predicate, out long scannedTo, out long missed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var result = new List<T>(Math.Min(limit, 256));
        var newest = LastSequence;
        var next = Math.Max(sequence, 0) + 1;
        missed = 0;
        while (next <= newest && result.Count < limit)
        {
            if (!TryGet(next, out var item))
            {
                // Evicted (or being overwritten right now): skip to what is still held.
                var oldest = Math.Max(OldestSequence, next + 1);
                missed += oldest - next;
                next = oldest;
                continue;
            }

            if (predicate is null || predicate(item!))
            {
                result.Add(item!);
            }

            next++;
        }

        scannedTo = next - 1;
        return result;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> items, newest first, that match <paramref name="predicate"/>
    /// (all when null), scanning back from the newest item while items are still in the buffer.
    /// </summary>
    public List<T> Newest(int limit, Func<T, bool>? predicate = null) => Newest(limit, predicate, LastSequence);

    /// <summary>As <see cref="Newest(int, Func{T, bool})"/>, scanning back from <paramref name="newest"/>.</summary>
    public List<T> Newest(int limit, Func<T, bool>? predicate, long newest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 0);
        var result = new List<T>(Math.Min(limit, Count));
        var oldest = Math.Max(1, newest - _slots.Length + 1);
        for (var sequence = newest; sequence >= oldest && result.Count < limit; sequence--)
        {
            if (!TryGet(sequence, out var item))
            {
                // Overwritten while we read: everything older is gone too.
                break;
            }

            if (predicate is null || predicate(item!))
            {
                result.Add(item!);
            }
        }

        return result;
    }

    /// <summary>An item's serialized form and the sequence of the item it was made from.</summary>
    private sealed record Serialized(long Sequence, byte[] Bytes);

    /// <summary>One slot of the seqlock: the item and the sequence that guards it.</summary>
    private struct Slot
    {
        public long Sequence;
        public T? Item;
    }
}
