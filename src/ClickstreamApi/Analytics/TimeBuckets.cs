namespace ClickstreamApi.Analytics;

/// <summary>
/// A ring of fixed-length time buckets (10 seconds each, say), each holding a <typeparamref name="T"/>
/// that is cleared and reused when the ring comes round to it again. Rolling views ("the last
/// minute") are built from the buckets a snapshot asks for by age. Single-threaded.
/// </summary>
internal sealed class TimeBuckets<T>
    where T : class
{
    private const long NoBucket = -1;

    private readonly long _bucketTicks;
    private readonly long[] _numbers;
    private readonly T[] _items;
    private readonly Action<T> _clear;
    private long _newest = NoBucket;

    public TimeBuckets(int slots, TimeSpan bucketLength, Func<T> create, Action<T> clear)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        _bucketTicks = bucketLength.Ticks;
        _numbers = new long[slots];
        Array.Fill(_numbers, NoBucket);
        _items = new T[slots];
        for (var i = 0; i < slots; i++)
        {
            _items[i] = create();
        }

        _clear = clear;
    }

    public int Slots => _items.Length;

    /// <summary>The number of the bucket <paramref name="at"/> falls in.</summary>
    public long BucketOf(DateTimeOffset at) => at.UtcTicks / _bucketTicks;

    /// <summary>
    /// The bucket for <paramref name="at"/>, cleared first if its slot held an older bucket; null
    /// when <paramref name="at"/> is a whole ring older than the newest time seen (too old to keep).
    /// </summary>
    public T? For(DateTimeOffset at)
    {
        var bucket = BucketOf(at);
        _newest = Math.Max(_newest, bucket);
        if (bucket <= _newest - Slots)
        {
            return null;
        }

        var slot = (int)(bucket % Slots);
        if (_numbers[slot] != bucket)
        {
            // The slot held a bucket at least a ring older, outside every view: reuse it.
            _clear(_items[slot]);
            _numbers[slot] = bucket;
        }

        return _items[slot];
    }

    /// <summary>The contents of bucket number <paramref name="bucket"/>, when the ring still holds it.</summary>
    public bool TryGet(long bucket, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? item)
    {
        var slot = (int)(bucket % Slots);
        item = bucket >= 0 && _numbers[slot] == bucket ? _items[slot] : null;
        return item is not null;
    }
}
