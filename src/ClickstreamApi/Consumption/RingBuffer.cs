using System.Diagnostics.CodeAnalysis;

namespace ClickstreamApi.Consumption;

/// <summary>
/// A bounded buffer of the newest items: one writer appends, any number of readers read at the
/// same time without locks. Every item gets a sequence number (1, 2, 3, ...) that readers can use
/// as a cursor. When full, each append evicts the oldest item; evictions are counted. Readers get
/// each item in its <see cref="RingEntry{T}"/>, which also carries what readers derive from the item
/// once and share (its JSON).
/// </summary>
/// <remarks>
/// Each slot is guarded by a per-slot sequence, written around the item like a seqlock: the writer
/// marks the slot busy (-1), stores the item, then stores the item's sequence; a reader accepts an
/// item only if it sees the sequence it expects both before and after reading it. A reader that
/// is lapped by the writer simply stops at the items that were overwritten.
/// </remarks>
public sealed class RingBuffer<T>
    where T : class
{
    private readonly RingEntry<T>?[] _items;
    private readonly long[] _sequences;
    private long _lastSequence;

    public RingBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new RingEntry<T>?[capacity];
        _sequences = new long[capacity];
        Epoch = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()));
    }

    /// <summary>
    /// Names this buffer's numbering: sequences restart at 1 in a new buffer (a restarted service),
    /// so cursors carry the epoch to tell whose sequence they are.
    /// </summary>
    public string Epoch { get; }

    public int Capacity => _items.Length;

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
        var entry = new RingEntry<T>(item);
        var sequence = _lastSequence + 1;
        var slot = (int)((sequence - 1) % _items.Length);
        Volatile.Write(ref _sequences[slot], -1);
        Volatile.Write(ref _items[slot], entry);
        Volatile.Write(ref _sequences[slot], sequence);
        Volatile.Write(ref _lastSequence, sequence);
        return sequence;
    }

    /// <summary>The entry with the given sequence, if it is still in the buffer.</summary>
    public bool TryGet(long sequence, [NotNullWhen(true)] out RingEntry<T>? entry)
    {
        entry = null;
        if (sequence < 1)
        {
            return false;
        }

        var slot = (int)((sequence - 1) % _items.Length);
        if (Volatile.Read(ref _sequences[slot]) != sequence)
        {
            return false;
        }

        var candidate = Volatile.Read(ref _items[slot]);
        if (Volatile.Read(ref _sequences[slot]) != sequence)
        {
            return false;
        }

        entry = candidate!;
        return true;
    }

    /// <summary>Sequence of the oldest item still held (1 when nothing was evicted yet).</summary>
    public long OldestSequence => Math.Max(1, LastSequence - _items.Length + 1);

    /// <summary>
    /// Up to <paramref name="limit"/> items after <paramref name="sequence"/>, oldest first, that
    /// match <paramref name="predicate"/>: what a reader that has seen everything up to
    /// <paramref name="sequence"/> reads next. <paramref name="scannedTo"/> is where the next read
    /// continues from (past items that did not match); <paramref name="missed"/> counts items after
    /// <paramref name="sequence"/> that were evicted before this read reached them.
    /// </summary>
    public List<RingEntry<T>> After(long sequence, int limit, Func<T, bool>? predicate, out long scannedTo, out long missed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var result = new List<RingEntry<T>>(Math.Min(limit, 256));
        var newest = LastSequence;
        var next = Math.Max(sequence, 0) + 1;
        missed = 0;
        while (next <= newest && result.Count < limit)
        {
            if (!TryGet(next, out var entry))
            {
                // Evicted (or being overwritten right now): skip to what is still held.
                var oldest = Math.Max(OldestSequence, next + 1);
                missed += oldest - next;
                next = oldest;
                continue;
            }

            if (predicate is null || predicate(entry.Item))
            {
                result.Add(entry);
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
    public List<RingEntry<T>> Newest(int limit, Func<T, bool>? predicate = null) => Newest(limit, predicate, LastSequence);

    /// <summary>As <see cref="Newest(int, Func{T, bool})"/>, scanning back from <paramref name="newest"/>.</summary>
    public List<RingEntry<T>> Newest(int limit, Func<T, bool>? predicate, long newest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 0);
        var result = new List<RingEntry<T>>(Math.Min(limit, Count));
        var oldest = Math.Max(1, newest - _items.Length + 1);
        for (var sequence = newest; sequence >= oldest && result.Count < limit; sequence--)
        {
            if (!TryGet(sequence, out var entry))
            {
                // Overwritten while we read: everything older is gone too.
                break;
            }

            if (predicate is null || predicate(entry.Item))
            {
                result.Add(entry);
            }
        }

        return result;
    }
}
