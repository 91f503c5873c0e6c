namespace ClickstreamApi.Generation;

/// <summary>
/// Measures the achieved rate over the last complete second and ten seconds, in 100 ms buckets.
/// One thread records; any thread reads, without locks: each bucket carries the number of the
/// 100 ms interval it counts, so a reader skips buckets left over from earlier intervals (nothing
/// recorded since) and buckets being reused under it.
/// </summary>
public sealed class RateMeter(TimeProvider time)
{
    private const int BucketsPerSecond = 10;
    private const int ShortWindow = BucketsPerSecond;
    private const int LongWindow = 10 * BucketsPerSecond;

    // More buckets than the long window plus the one being filled, so a reader a little behind
    // the writer still finds its buckets intact; a power of two so the slot is a mask.
    private const int Slots = 128;

    private readonly Bucket[] _buckets = NewBuckets();
    private readonly long _start = time.GetTimestamp();
    private readonly long _frequency = time.TimestampFrequency;

    /// <summary>Events per second over the last complete second (over the time so far during the first second).</summary>
    public double LastSecond => Rate(ShortWindow);

    /// <summary>Events per second over the last complete ten seconds (over the time so far during the first ten).</summary>
    public double Last10Seconds => Rate(LongWindow);

    /// <summary>Counts <paramref name="count"/> events as happening now. Call from one thread only.</summary>
    public void Record(long count)
    {
        var interval = Interval(time.GetTimestamp());
        ref var bucket = ref _buckets[interval & (Slots - 1)];
        if (bucket.Interval == interval)
        {
            // Only this thread writes, so read-add-write is safe; readers see the old or new total.
            Volatile.Write(ref bucket.Count, bucket.Count + count);
            return;
        }

        // Reusing a slot: invalidate it first so no reader pairs the new count with the old interval.
        Volatile.Write(ref bucket.Interval, -1);
        Volatile.Write(ref bucket.Count, count);
        Volatile.Write(ref bucket.Interval, interval);
    }

    private double Rate(int window)
    {
        // The bucket now being filled is incomplete, so the window ends where it begins.
        var current = Interval(time.GetTimestamp());
        var buckets = Math.Min(window, current);
        if (buckets <= 0)
        {
            return 0;
        }

        long total = 0;
        for (var interval = current - buckets; interval < current; interval++)
        {
            ref var bucket = ref _buckets[interval & (Slots - 1)];
            var before = Volatile.Read(ref bucket.Interval);
            var count = Volatile.Read(ref bucket.Count);
            if (before == interval && Volatile.Read(ref bucket.Interval) == interval)
            {
                total += count;
            }
        }

        return total * (double)BucketsPerSecond / buckets;
    }

    private long Interval(long timestamp) => (timestamp - _start) * BucketsPerSecond / _frequency;

    private static Bucket[] NewBuckets()
    {
        var buckets = new Bucket[Slots];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i].Interval = -1;
        }

        return buckets;
    }

    private struct Bucket
    {
        public long Interval;
        public long Count;
    }
}
