using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ClickstreamApi.Analytics;

/// <summary>The busiest pages of one window.</summary>
/// <param name="Total">All events in the window.</param>
/// <param name="DistinctPages">Distinct pages in the window (<c>(other)</c> counts as one).</param>
/// <param name="Top">The busiest pages, by count descending, then page.</param>
public sealed record TopPagesWindow(long Total, int DistinctPages, IReadOnlyList<PageCount> Top);

/// <summary>The busiest pages by processing time, at one moment.</summary>
/// <param name="Last1m">The last minute (plus the part of the current 10-second bucket elapsed so far).</param>
/// <param name="Last5m">The last five minutes (likewise).</param>
/// <param name="Overflowed">Events counted under <c>(other)</c> because their 10-second bucket already had the maximum of distinct pages; since start.</param>
/// <param name="Stale">Events recorded with a time older than the five-minute window, not counted; since start.</param>
public sealed record TopPagesSnapshot(TopPagesWindow Last1m, TopPagesWindow Last5m, long Overflowed, long Stale);

/// <summary>
/// Page counts over the last one and five minutes of processing time. Events go into 10-second
/// buckets (a ring of 31: the bucket being filled plus 30 complete ones), and each window keeps
/// running totals that grow on every event and shrink by a whole bucket when it falls out of the
/// window, so a snapshot never re-adds 30 buckets. Each bucket holds at most
/// <c>maxPagesPerBucket</c> distinct pages (beyond that <c>(other)</c>), which bounds the running
/// totals too (at most 31 buckets' worth of keys). Single-threaded: the consumer thread records
/// and takes snapshots.
/// </summary>
public sealed class TopPages
{
    private const int ShortBuckets = 7;
    private const int Slots = 31;

    private readonly TimeBuckets<PageCounts> _buckets;
    private readonly Dictionary<string, long> _last1m = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _last5m = new(StringComparer.Ordinal);
    private long _total1m;
    private long _total5m;
    private long _overflowed;
    private long _stale;

    /// <param name="maxPagesPerBucket">Distinct pages one 10-second bucket holds before counting the rest as <c>(other)</c>.</param>
    public TopPages(int maxPagesPerBucket = PageCounts.DefaultMaxPages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPagesPerBucket, 1);
        _buckets = new(Slots, TimeSpan.FromSeconds(10), () => new PageCounts(maxPagesPerBucket), static bucket => bucket.Clear(), advancing: MoveWindows);
    }

    /// <summary>Counts one event on <paramref name="page"/> processed at <paramref name="at"/>.</summary>
    public void Record(string page, DateTimeOffset at)
    {
        if (_buckets.For(at, out var bucket) is not { } counts)
        {
            _stale++;
            return;
        }

        var key = counts.Add(page);
        if (!ReferenceEquals(key, page))
        {
            _overflowed++;
        }

        CollectionsMarshal.GetValueRefOrAddDefault(_last5m, key, out _)++;
        _total5m++;
        if (bucket > _buckets.Newest - ShortBuckets)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_last1m, key, out _)++;
            _total1m++;
        }
    }

    /// <summary>The <paramref name="top"/> busiest pages of each window as of <paramref name="now"/>.</summary>
    public TopPagesSnapshot Snapshot(DateTimeOffset now, int top)
    {
        _buckets.MoveTo(_buckets.BucketOf(now));
        return new TopPagesSnapshot(
            new TopPagesWindow(_total1m, _last1m.Count, TopPageCounts.Select(_last1m, top)),
            new TopPagesWindow(_total5m, _last5m.Count, TopPageCounts.Select(_last5m, top)),
            _overflowed,
            _stale);
    }

    /// <summary>
    /// The ring's newest bucket moved from <paramref name="previous"/> to <paramref name="newest"/>:
    /// the buckets falling out of each window come off its totals, before the ring reuses their slots.
    /// </summary>
    private void MoveWindows(long previous, long newest)
    {
        if (previous == TimeBuckets<PageCounts>.NoBucket || newest - previous >= Slots)
        {
            // First event, or a pause longer than the long window: nothing kept is still inside it.
            _last1m.Clear();
            _last5m.Clear();
            _total1m = 0;
            _total5m = 0;
            return;
        }

        for (var next = previous + 1; next <= newest; next++)
        {
            if (_buckets.TryGet(next - ShortBuckets, out var leavingShort))
            {
                _total1m -= Subtract(_last1m, leavingShort);
            }

            // The slot for the new bucket holds the one leaving the long window, if it was used.
            if (_buckets.TryGet(next - Slots, out var leavingLong))
            {
                _total5m -= Subtract(_last5m, leavingLong);
            }
        }
    }

    private static long Subtract(Dictionary<string, long> totals, PageCounts bucket)
    {
        foreach (var (page, count) in bucket.Counts)
        {
            ref var total = ref CollectionsMarshal.GetValueRefOrNullRef(totals, page);
            if (Unsafe.IsNullRef(ref total))
            {
                continue;
            }

            total -= count;
            if (total <= 0)
            {
                totals.Remove(page);
            }
        }

        return bucket.Total;
    }
}
