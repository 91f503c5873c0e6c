using System.Runtime.CompilerServices;
using ClickstreamApi.Analytics;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Analytics;

public sealed class TimeBucketsTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    // On a 10-second boundary, so buckets of whole seconds from the default origin start at T0 too.
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);

    [Fact]
    public void Times_fall_into_buckets_of_the_given_length_counted_from_the_origin()
    {
        var ring = Ring(slots: 4, TimeSpan.FromSeconds(10));
        var fromStart = Ring(slots: 4, TimeSpan.FromSeconds(10), origin: T0 + TimeSpan.FromSeconds(3));

        Assert.Equal(T0.UtcTicks / TimeSpan.FromSeconds(10).Ticks, ring.BucketOf(T0));
        Assert.Equal(ring.BucketOf(T0), ring.BucketOf(T0 + TimeSpan.FromSeconds(10) - Tick));
        Assert.Equal(ring.BucketOf(T0) + 1, ring.BucketOf(T0 + TimeSpan.FromSeconds(10)));
        Assert.Equal(T0, ring.StartOf(ring.BucketOf(T0 + TimeSpan.FromSeconds(7))));

        Assert.Equal(0, fromStart.BucketOf(T0 + TimeSpan.FromSeconds(3)));
        Assert.Equal(1, fromStart.BucketOf(T0 + TimeSpan.FromSeconds(13)));
        Assert.Equal(T0 + TimeSpan.FromSeconds(13), fromStart.StartOf(1));

        // Before the origin the numbers go below zero, rounding down, not towards zero.
        Assert.Equal(-1, fromStart.BucketOf(T0 + TimeSpan.FromSeconds(3) - Tick));
        Assert.Equal(-1, fromStart.BucketOf(T0 - TimeSpan.FromSeconds(7)));
        Assert.Equal(-2, fromStart.BucketOf(T0 - TimeSpan.FromSeconds(7) - Tick));
    }

    [Fact]
    public void Times_in_one_bucket_get_the_same_contents_and_the_next_bucket_other_contents()
    {
        var ring = Ring(slots: 4, TimeSpan.FromSeconds(10));

        var first = ring.For(_time.GetUtcNow(), out var number);
        _time.Advance(TimeSpan.FromSeconds(10) - Tick);
        var sameBucket = ring.For(_time.GetUtcNow(), out var sameNumber);
        _time.Advance(Tick);
        var next = ring.For(_time.GetUtcNow(), out var nextNumber);

        Assert.NotNull(first);
        Assert.Same(first, sameBucket);
        Assert.Equal(number, sameNumber);
        Assert.NotSame(first, next);
        Assert.Equal(number + 1, nextNumber);
        Assert.Equal(nextNumber, ring.Newest);
        Assert.Same(next, ring.For(nextNumber));
    }

    [Fact]
    public void A_slot_reused_by_a_bucket_a_ring_newer_is_cleared_first_and_the_old_bucket_is_gone()
    {
        var ring = Ring(slots: 3, Second);
        var old = Count(ring, _time.GetUtcNow(), 5);
        var oldNumber = ring.BucketOf(_time.GetUtcNow());

        // Further buckets leave the old one readable until its slot is wanted again.
        _time.Advance(Second);
        Count(ring, _time.GetUtcNow(), 1);
        _time.Advance(Second);
        Count(ring, _time.GetUtcNow(), 1);
        Assert.True(ring.TryGet(oldNumber, out var stillThere));
        Assert.Equal(5, stillThere.Value);

        _time.Advance(Second);
        var reused = Count(ring, _time.GetUtcNow(), 2);

        Assert.Same(old, reused);
        Assert.Equal(2, reused.Value);
        Assert.False(ring.TryGet(oldNumber, out _));
        Assert.False(ring.Holds(oldNumber));
        Assert.True(ring.Holds(oldNumber + 3));
    }

    [Fact]
    public void A_bucket_a_whole_ring_older_than_the_newest_or_before_the_origin_is_too_old()
    {
        var ring = Ring(slots: 5, Second, origin: T0);
        ring.For(T0 + TimeSpan.FromSeconds(20));

        Assert.Null(ring.For(T0 + TimeSpan.FromSeconds(15)));
        Assert.Null(ring.For(T0 + TimeSpan.FromSeconds(16) - Tick));
        Assert.NotNull(ring.For(T0 + TimeSpan.FromSeconds(16)));
        Assert.Null(ring.For(T0 - Tick));
        Assert.Null(ring.For(-1));
        Assert.Null(ring.For(long.MinValue));

        // A late bucket is used where it belongs; it does not move the newest back.
        Assert.Equal(20, ring.Newest);
        Assert.True(ring.Holds(16));
    }

    [Fact]
    public void Before_the_first_bucket_nothing_is_held_and_the_newest_is_no_bucket()
    {
        var ring = Ring(slots: 4, Second, origin: T0);

        Assert.Equal(TimeBuckets<StrongBox<long>>.NoBucket, ring.Newest);
        Assert.False(ring.TryGet(0, out _));
        Assert.Empty(Ages(ring.ByAge(3, 0, 4)));

        // The very first bucket may be any number, however far from zero.
        Assert.NotNull(ring.For(1_000_000));
        Assert.Equal(1_000_000, ring.Newest);
    }

    [Fact]
    public void Moving_to_a_newer_bucket_makes_older_times_too_old_without_using_a_slot()
    {
        var ring = Ring(slots: 4, Second, origin: T0);
        var cached = Count(ring, T0 + TimeSpan.FromSeconds(2), 3);

        ring.MoveTo(6);

        Assert.Equal(6, ring.Newest);
        Assert.False(ring.Holds(6));

        // Bucket 2 is now a whole ring old: refused, even though it was the last one handed out.
        Assert.Null(ring.For(T0 + TimeSpan.FromSeconds(2.5)));
        Assert.Null(ring.For(2));
        Assert.NotNull(ring.For(T0 + TimeSpan.FromSeconds(3)));

        // Moving back does nothing, and moving clears nothing: slots are cleared when reused.
        ring.MoveTo(1);
        Assert.Equal(6, ring.Newest);
        Assert.Equal(3, cached.Value);
    }

    [Fact]
    public void The_owner_hears_of_each_move_to_a_newer_bucket_while_the_leaving_buckets_can_still_be_read()
    {
        var moves = new List<(long Previous, long Newest, long LeavingCount)>();
        TimeBuckets<StrongBox<long>> ring = null!;
        ring = new TimeBuckets<StrongBox<long>>(
            3,
            Second,
            static () => new StrongBox<long>(),
            static box => box.Value = 0,
            T0,
            advancing: (previous, newest) => moves.Add((previous, newest, ring.TryGet(newest - ring.Slots, out var leaving) ? leaving.Value : -1)));

        Count(ring, T0, 7);
        Count(ring, T0 + (0.5 * Second), 1);
        Count(ring, T0 + Second, 1);
        Count(ring, T0 + (3 * Second), 1);
        Count(ring, T0 + (2 * Second), 1);
        ring.MoveTo(3);
        ring.MoveTo(5);

        // From no bucket to 0; 0 to 1; 1 to 3 while bucket 0 (8 counts) is still in the slot 3 takes;
        // not for the late bucket 2 nor for moving to 3 again; 3 to 5 with bucket 2 (1 count) leaving.
        Assert.Equal([(-1L, 0L, -1L), (0L, 1L, -1L), (1L, 3L, 8L), (3L, 5L, 1L)], moves);
        Assert.Equal(1, ring.For(3)!.Value);
    }

    [Fact]
    public void Buckets_come_by_age_newest_first_leaving_out_unused_and_reused_ones()
    {
        var ring = Ring(slots: 5, Second, origin: T0);
        foreach (var second in new[] { 0, 1, 3, 4, 5, 6 })
        {
            Count(ring, T0 + TimeSpan.FromSeconds(second), second + 1);
        }

        // Bucket 0 was reused by 5, and 1 by 6; 2 was never used.
        Assert.Equal([(0, 6L, 7L), (1, 5, 6), (2, 4, 5), (3, 3, 4)], Ages(ring.ByAge(6, 0, 10)));
        Assert.Equal([(1, 5L, 6L), (2, 4, 5)], Ages(ring.ByAge(6, 1, 3)));

        // Counted back from a later bucket: ages are from it, and numbers stop at zero.
        Assert.Equal([(2, 6L, 7L), (3, 5, 6)], Ages(ring.ByAge(8, 0, 4)));
        Assert.Equal([(3, 3L, 4L), (4, 2, 3), (5, 1, 2), (6, 0, 1)], Ages(RingFromZero().ByAge(6, 3, 100)));
        Assert.Empty(Ages(ring.ByAge(6, 4, 4)));

        TimeBuckets<StrongBox<long>> RingFromZero()
        {
            var fromZero = Ring(slots: 8, Second, origin: T0);
            for (var second = 0; second < 4; second++)
            {
                Count(fromZero, T0 + TimeSpan.FromSeconds(second), second + 1);
            }

            return fromZero;
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)] // a power of two: slots found by a mask
    public void Whatever_the_order_of_times_a_bucket_holds_exactly_what_was_counted_in_it(int slots)
    {
        // A walk with bursts, late times and pauses longer than the ring, checked against what each
        // bucket should hold: every count made in it, and nothing from any other bucket.
        var ring = Ring(slots, TimeSpan.FromSeconds(10));
        var random = new Random(12);
        var counted = new Dictionary<long, long>();
        long newest = -1;
        var refused = 0;
        var pausesLongerThanTheRing = 0;
        for (var step = 0; step < 20_000; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(random.Next(0, step % 500 == 499 ? 200_000 : 2_000)));
            var at = random.Next(10) == 0 ? _time.GetUtcNow() - TimeSpan.FromSeconds(random.Next(0, 100)) : _time.GetUtcNow();
            var number = ring.BucketOf(at);
            var box = ring.For(at, out var got);

            Assert.Equal(number, got);
            if (number <= newest - ring.Slots)
            {
                Assert.Null(box);
                refused++;
                continue;
            }

            pausesLongerThanTheRing += newest >= 0 && number - newest >= ring.Slots ? 1 : 0;
            newest = Math.Max(newest, number);
            Assert.NotNull(box);
            box.Value++;
            counted[number] = counted.GetValueOrDefault(number) + 1;
            Assert.Equal(counted[number], box.Value);
            Assert.Equal(newest, ring.Newest);

            if (step % 101 == 0)
            {
                for (var bucket = newest - ring.Slots + 1; bucket <= newest; bucket++)
                {
                    var held = ring.TryGet(bucket, out var contents);
                    Assert.Equal(counted.ContainsKey(bucket), held);
                    Assert.Equal(counted.GetValueOrDefault(bucket), held ? contents!.Value : 0);
                }
            }
        }

        // The walk did cross the edge cases it is meant to check.
        Assert.True(refused > 0);
        Assert.True(pausesLongerThanTheRing > 0);
    }

    [Fact]
    public async Task Readers_on_other_threads_never_take_one_buckets_contents_for_another()
    {
        // Each bucket holds its own number once written, -1 in a slot never used before, and clearing
        // leaves -(10 + the number it held). So a reader that finds bucket n still held after reading
        // it may read n, -1 (n in the first ring) or -(10 + n - 8) (cleared from the bucket a ring
        // older, n not written yet); anything else, such as -(10 + n), is one bucket's contents taken
        // for another's. Clearing takes its time, so a reader gets to look while a slot is half reused.
        const int Slots = 8;
        var ring = new TimeBuckets<StrongBox<long>>(
            Slots,
            Second,
            static () => new StrongBox<long>(-1),
            static box =>
            {
                Thread.SpinWait(10);
                Volatile.Write(ref box.Value, -(10 + box.Value));
            });
        var newest = 0L;
        using var done = new CancellationTokenSource();

        var readers = new Task<(long Checked, long Wrong)>[1];
        for (var r = 0; r < readers.Length; r++)
        {
            readers[r] = Task.Run(() =>
            {
                long seen = 0;
                long wrong = 0;
                while (!done.IsCancellationRequested)
                {
                    // From the bucket the writer is about to reuse a slot for, as a reader whose clock is ahead would.
                    foreach (var bucket in ring.ByAge(Volatile.Read(ref newest) + 1, 0, Slots + 1))
                    {
                        var value = Volatile.Read(ref bucket.Item.Value);
                        if (ring.Holds(bucket.Number))
                        {
                            var n = bucket.Number;
                            seen++;
                            wrong += value == n || (value == -1 && n < Slots) || value == -(10 + n - Slots) ? 0 : 1;
                        }
                    }
                }

                return (seen, wrong);
            }, TestContext.Current.CancellationToken);
        }

        await Task.Run(
            () =>
            {
                for (long bucket = 0; bucket < 500_000; bucket++)
                {
                    var box = ring.For(bucket)!;
                    Volatile.Write(ref box.Value, bucket);
                    Volatile.Write(ref newest, bucket);
                }
            },
            TestContext.Current.CancellationToken);
        await done.CancelAsync();

        foreach (var reader in readers)
        {
            var (seen, wrong) = await reader;
            Assert.True(seen > 0);
            Assert.Equal(0, wrong);
        }
    }

    [Fact]
    public void Using_and_reading_buckets_does_not_allocate()
    {
        var ring = Ring(slots: 31, TimeSpan.FromSeconds(10));
        long sum = 0;

        // The first pass warms up; the second is measured.
        UseMany();
        Assert.Equal(0, Allocations.LeastPerPass(() => UseMany()));
        Assert.True(sum > 0);

        void UseMany()
        {
            for (var i = 0; i < 50_000; i++)
            {
                if (ring.For(_time.GetUtcNow() - TimeSpan.FromSeconds(i % 400)) is { } box)
                {
                    box.Value++;
                }

                if (i % 1_000 == 0)
                {
                    foreach (var bucket in ring.ByAge(ring.BucketOf(_time.GetUtcNow()), 0, ring.Slots))
                    {
                        sum += bucket.Item.Value;
                    }
                }

                _time.Advance(TimeSpan.FromMilliseconds(7));
            }
        }
    }

    [Fact]
    public void A_ring_needs_a_slot_and_a_positive_bucket_length()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Ring(slots: 0, Second));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ring(slots: 1, TimeSpan.Zero));
        Assert.Equal(1, Ring(slots: 1, Second).Slots);
    }

    private static TimeBuckets<StrongBox<long>> Ring(int slots, TimeSpan length, DateTimeOffset origin = default) =>
        new(slots, length, static () => new StrongBox<long>(), static box => box.Value = 0, origin);

    private static StrongBox<long> Count(TimeBuckets<StrongBox<long>> ring, DateTimeOffset at, long count)
    {
        var box = ring.For(at)!;
        box.Value += count;
        return box;
    }

    private static List<(int Age, long Number, long Value)> Ages(TimeBuckets<StrongBox<long>>.AgeRange range)
    {
        var result = new List<(int, long, long)>();
        foreach (var bucket in range)
        {
            result.Add((bucket.Age, bucket.Number, bucket.Item.Value));
        }

        return result;
    }
}
