using ClickstreamApi.Analytics;

namespace ClickstreamApi.UnitTests.Analytics;

public sealed class TopPagesTests
{
    // On a 10-second bucket boundary, so offsets below read as "bucket n, second s".
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Pages_come_back_by_count_descending_then_by_page()
    {
        var pages = new TopPages();
        Record(pages, T0, ("/b", 3), ("/a", 3), ("/c", 5), ("/d", 1));

        var snapshot = pages.Snapshot(T0 + TimeSpan.FromSeconds(5), top: 3);

        PageCount[] expected = [new("/c", 5), new("/a", 3), new("/b", 3)];
        Assert.Equal(expected, snapshot.Last1m.Top);
        Assert.Equal(expected, snapshot.Last5m.Top);
        Assert.Equal(12, snapshot.Last1m.Total);
        Assert.Equal(4, snapshot.Last1m.DistinctPages);
    }

    [Fact]
    public void Asking_for_more_than_there_are_returns_them_all_and_zero_returns_none()
    {
        var pages = new TopPages();
        Record(pages, T0, ("/a", 2), ("/b", 1));

        Assert.Equal(2, pages.Snapshot(T0, top: 100).Last5m.Top.Count);
        Assert.Empty(pages.Snapshot(T0, top: 0).Last5m.Top);
    }

    [Fact]
    public void Events_leave_the_one_minute_window_before_the_five_minute_one()
    {
        var pages = new TopPages();
        Record(pages, T0 + TimeSpan.FromSeconds(3), ("/old", 4));
        Record(pages, T0 + TimeSpan.FromSeconds(65), ("/new", 1));

        // 70 s later the first bucket is more than 6 complete buckets back.
        var snapshot = pages.Snapshot(T0 + TimeSpan.FromSeconds(70), top: 10);
        Assert.Equal([new PageCount("/new", 1)], snapshot.Last1m.Top);
        Assert.Equal(1, snapshot.Last1m.Total);
        Assert.Equal([new PageCount("/old", 4), new PageCount("/new", 1)], snapshot.Last5m.Top);
        Assert.Equal(5, snapshot.Last5m.Total);

        // 310 s is 31 buckets on: the first bucket has left the long window; its page key is gone.
        snapshot = pages.Snapshot(T0 + TimeSpan.FromSeconds(310), top: 10);
        Assert.Equal([new PageCount("/new", 1)], snapshot.Last5m.Top);
        Assert.Equal(1, snapshot.Last5m.DistinctPages);
        Assert.Empty(snapshot.Last1m.Top);
        Assert.Equal(0, snapshot.Last1m.Total);
        Assert.Equal(0, snapshot.Last1m.DistinctPages);
    }

    [Fact]
    public void Running_totals_match_a_recount_of_the_buckets_at_every_step()
    {
        var pages = new TopPages();
        var random = new Random(42);
        var recorded = new List<(string Page, long Bucket)>();
        var at = T0;
        for (var step = 0; step < 2_000; step++)
        {
            // Bursts and pauses of up to 40 s, with now and then a slightly late event.
            at += TimeSpan.FromMilliseconds(random.Next(0, step % 100 == 99 ? 40_000 : 1_000));
            var eventAt = random.Next(20) == 0 ? at - TimeSpan.FromSeconds(random.Next(0, 400)) : at;
            var page = $"/p/{random.Next(30)}";
            pages.Record(page, eventAt);
            recorded.Add((page, Bucket(eventAt)));

            if (step % 37 == 0)
            {
                var snapshot = pages.Snapshot(at, top: 1_000);
                AssertWindow(Recount(recorded, Bucket(at), 7), snapshot.Last1m);
                AssertWindow(Recount(recorded, Bucket(at), 31), snapshot.Last5m);
            }
        }

        // The walk did cross the edge cases it is meant to check.
        Assert.True(pages.Snapshot(at, top: 1).Stale > 0);
    }

    [Fact]
    public void A_pause_longer_than_five_minutes_empties_both_windows()
    {
        var pages = new TopPages();
        Record(pages, T0, ("/a", 10));

        var snapshot = pages.Snapshot(T0 + TimeSpan.FromHours(2), top: 5);

        Assert.Equal(0, snapshot.Last5m.Total);
        Assert.Empty(snapshot.Last5m.Top);
    }

    [Fact]
    public void Distinct_pages_beyond_the_cap_of_a_bucket_are_counted_as_other()
    {
        var pages = new TopPages(maxPagesPerBucket: 3);
        Record(pages, T0, ("/a", 5), ("/b", 4), ("/c", 3), ("/d", 2), ("/e", 1), ("/a", 1));

        var snapshot = pages.Snapshot(T0, top: 10);

        Assert.Equal(
            [new PageCount("/a", 6), new PageCount("/b", 4), new PageCount("(other)", 3), new PageCount("/c", 3)],
            snapshot.Last1m.Top);
        Assert.Equal(3, snapshot.Overflowed);
        Assert.Equal(16, snapshot.Last1m.Total);

        // The cap is per bucket: the next bucket starts with room again.
        Record(pages, T0 + TimeSpan.FromSeconds(10), ("/d", 1));
        Assert.Contains(new PageCount("/d", 1), pages.Snapshot(T0 + TimeSpan.FromSeconds(10), top: 10).Last1m.Top);
    }

    [Fact]
    public void Events_older_than_five_minutes_are_counted_as_stale_not_added()
    {
        var pages = new TopPages();
        Record(pages, T0 + TimeSpan.FromMinutes(10), ("/now", 1));

        Record(pages, T0, ("/ancient", 1));

        var snapshot = pages.Snapshot(T0 + TimeSpan.FromMinutes(10), top: 10);
        Assert.Equal(1, snapshot.Stale);
        Assert.Equal([new PageCount("/now", 1)], snapshot.Last5m.Top);
    }

    [Fact]
    public void Recording_known_pages_does_not_allocate()
    {
        var pages = new TopPages();
        var names = Enumerable.Range(0, 50).Select(i => $"/product/{i}").ToArray();

        // Warm up: every page in every slot, so dictionaries have grown to size.
        var at = T0;
        for (var i = 0; i < 40_000; i++)
        {
            pages.Record(names[i % names.Length], at);
            at += TimeSpan.FromMilliseconds(10);
        }

        Assert.Equal(0, Allocations.LeastPerPass(() =>
        {
            for (var i = 0; i < 40_000; i++)
            {
                pages.Record(names[i % names.Length], at);
                at += TimeSpan.FromMilliseconds(10);
            }
        }));
    }

    private static long Bucket(DateTimeOffset at) => at.UtcTicks / TimeSpan.FromSeconds(10).Ticks;

    /// <summary>Counts from scratch what a window of <paramref name="buckets"/> ending at <paramref name="newest"/> should hold.</summary>
    private static Dictionary<string, long> Recount(List<(string Page, long Bucket)> recorded, long newest, int buckets)
    {
        // A late event dropped as stale has a bucket outside every later window too, so it drops out here.
        var counts = new Dictionary<string, long>();
        foreach (var (page, bucket) in recorded)
        {
            if (bucket > newest - buckets && bucket <= newest)
            {
                counts[page] = counts.GetValueOrDefault(page) + 1;
            }
        }

        return counts;
    }

    private static void AssertWindow(Dictionary<string, long> expected, TopPagesWindow actual)
    {
        Assert.Equal(expected.Values.Sum(), actual.Total);
        Assert.Equal(expected.Count, actual.DistinctPages);
        Assert.Equal(
            expected.Select(kv => new PageCount(kv.Key, kv.Value)).OrderByDescending(p => p.Count).ThenBy(p => p.Page, StringComparer.Ordinal),
            actual.Top);
    }

    private static void Record(TopPages pages, DateTimeOffset at, params (string Page, int Count)[] counts)
    {
        foreach (var (page, count) in counts)
        {
            for (var i = 0; i < count; i++)
            {
                pages.Record(page, at);
            }
        }
    }
}
