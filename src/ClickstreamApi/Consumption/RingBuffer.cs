namespace ClickstreamApi.Consumption;

/// <summary>
/// A bounded buffer of the newest items: one writer appends, any number of readers read at the
/// same time without locks. Every item gets a sequence number (1, 2, 3, ...) that readers can use
/// as a cursor. When full, each append evicts the oldest item; evictions are counted.
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
    private readonly T?[] _items;
    private readonly long[] _sequences;
    private long _lastSequence;

    public RingBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new T?[capacity];
        _sequences = new long[capacity];
    }

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
        var sequence = _lastSequence + 1;
        var slot = (int)((sequence - 1) % _items.Length);
        Volatile.Write(ref _sequences[slot], -1);
        Volatile.Write(ref _items[slot], item);
        Volatile.Write(ref _sequences[slot], sequence);
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

        item = candidate;
        return true;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> items, newest first, that match <paramref name="predicate"/>
    /// (all when null), scanning back from the newest item while items are still in the buffer.
    /// </summary>
    public List<T> Newest(int limit, Func<T, bool>? predicate = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 0);
        var result = new List<T>(Math.Min(limit, Count));
        var newest = LastSequence;
        var oldest = Math.Max(1, newest - _items.Length + 1);
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
}
