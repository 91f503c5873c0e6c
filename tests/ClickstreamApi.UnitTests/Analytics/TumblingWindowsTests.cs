using ClickstreamApi.Analytics;

namespace ClickstreamApi.UnitTests.Analytics;

public sealed class TumblingWindowsTests
{
    // On a 15-second boundary.
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nothing_recorded_has_no_windows()
    {
        var snapshot = new TumblingWindows().Snapshot(windows: 10, top: 5);

        Assert.Empty(snapshot.Windows);
        Assert.Equal(0, snapshot.LateAccepted + snapshot.TooLate + snapshot.TooEarly + snapshot.Overflowed);
    }

    [Fact]
    public void Events_fall_into_15_second_windows_by_the_time_they_occurred()
    {
        var windows = new TumblingWindows();
        var now = T0 + TimeSpan.FromSeconds(40);
        windows.Record("/a", T0 + TimeSpan.FromSeconds(1), now);
        windows.Record("/a", T0 + TimeSpan.FromSeconds(14.999), now);
        windows.Record("/b", T0 + TimeSpan.FromSeconds(14.999), now);
        windows.Record("/b", T0 + TimeSpan.FromSeconds(15), now);
        windows.Record("/c", T0 + TimeSpan.FromSeconds(31), now);

        var snapshot = windows.Snapshot(windows: 10, top: 5);

        Assert.Equal([T0 + TimeSpan.FromSeconds(30), T0 + TimeSpan.FromSeconds(15), T0], snapshot.Windows.Select(w => w.Start));
        Assert.All(snapshot.Windows, w => Assert.Equal(w.Start + TimeSpan.FromSeconds(15), w.End));
        Assert.Equal([1L, 1, 3], snapshot.Windows.Select(w => w.Total));
        Assert.Equal([new PageCount("/a", 2), new PageCount("/b", 1)], snapshot.Windows[2].TopPages);
        Assert.Equal(2, snapshot.Windows[2].DistinctPages);

        // /a at 14.999 s arrived after /a at 1 s, in the same (newest) window: not late.
        Assert.Equal(0, snapshot.LateAccepted);
    }

    [Fact]
    public void A_late_event_whose_window_is_still_kept_updates_that_window()
    {
        var windows = new TumblingWindows();
        var now = T0 + TimeSpan.FromSeconds(100);
        windows.Record("/new", T0 + TimeSpan.FromSeconds(95), now);

        windows.Record("/old", T0 + TimeSpan.FromSeconds(20), now);

        var snapshot = windows.Snapshot(windows: 20, top: 5);
        var window = Assert.Single(snapshot.Windows, w => w.Start == T0 + TimeSpan.FromSeconds(15));
        Assert.Equal([new PageCount("/old", 1)], window.TopPages);
        Assert.Equal(1, snapshot.LateAccepted);
        Assert.Equal(0, snapshot.TooLate);
    }

    [Fact]
    public void An_event_older_than_the_oldest_kept_window_is_counted_too_late_and_not_added()
    {
        var windows = new TumblingWindows(windowsKept: 4);
        var now = T0 + TimeSpan.FromMinutes(10);
        windows.Record("/now", T0 + TimeSpan.FromSeconds(600), now);

        // Kept: the windows starting at 555, 570, 585 and 600 s.
        windows.Record("/edge", T0 + TimeSpan.FromSeconds(555), now);
        windows.Record("/gone", T0 + TimeSpan.FromSeconds(554.9), now);
        windows.Record("/gone", T0, now);

        var snapshot = windows.Snapshot(windows: 10, top: 5);
        Assert.Equal(2, snapshot.TooLate);
        Assert.Equal(1, snapshot.LateAccepted);
        Assert.Equal(T0 + TimeSpan.FromSeconds(555), snapshot.Windows[^1].Start);
        Assert.Equal(2, snapshot.Windows.Sum(w => w.Total));
        Assert.DoesNotContain(snapshot.Windows, w => w.TopPages.Any(p => p.Page == "/gone"));
    }

    [Fact]
    public void An_event_more_than_a_minute_ahead_of_the_clock_is_counted_too_early_and_not_added()
    {
        var windows = new TumblingWindows();
        windows.Record("/now", T0, T0);

        windows.Record("/skewed", T0 + TimeSpan.FromSeconds(60.001), T0);
        windows.Record("/slightly-ahead", T0 + TimeSpan.FromSeconds(60), T0);

        var snapshot = windows.Snapshot(windows: 20, top: 5);
        Assert.Equal(1, snapshot.TooEarly);
        Assert.Equal(T0 + TimeSpan.FromSeconds(60), snapshot.Windows[0].Start);
        Assert.Equal([new PageCount("/slightly-ahead", 1)], snapshot.Windows[0].TopPages);

        // The skewed event did not move the windows: the event at T0 is still kept.
        Assert.Equal(T0, snapshot.Windows[^1].Start);
        Assert.Equal(2, snapshot.Windows.Sum(w => w.Total));
    }

    [Fact]
    public void Windows_without_events_show_as_empty_and_the_snapshot_stops_at_the_first_event()
    {
        var windows = new TumblingWindows();
        var now = T0 + TimeSpan.FromMinutes(2);
        windows.Record("/a", T0 + TimeSpan.FromSeconds(30), now);
        windows.Record("/a", T0 + TimeSpan.FromSeconds(90), now);

        var all = windows.Snapshot(windows: 20, top: 5);
        Assert.Equal([1L, 0, 0, 0, 1], all.Windows.Select(w => w.Total));
        Assert.Empty(all.Windows[1].TopPages);

        var newest = windows.Snapshot(windows: 2, top: 5);
        Assert.Equal([T0 + TimeSpan.FromSeconds(90), T0 + TimeSpan.FromSeconds(75)], newest.Windows.Select(w => w.Start));
    }

    [Fact]
    public void At_most_the_kept_windows_come_back_and_slots_are_reused_cleanly()
    {
        var windows = new TumblingWindows(windowsKept: 3);
        for (var second = 0; second < 300; second++)
        {
            windows.Record("/p", T0 + TimeSpan.FromSeconds(second), T0 + TimeSpan.FromSeconds(second));
        }

        var snapshot = windows.Snapshot(windows: 100, top: 5);

        Assert.Equal([15L, 15, 15], snapshot.Windows.Select(w => w.Total));
        Assert.Equal(T0 + TimeSpan.FromSeconds(285), snapshot.Windows[0].Start);
        Assert.Equal(0, snapshot.LateAccepted + snapshot.TooLate);
    }

    [Fact]
    public void Distinct_pages_beyond_the_cap_of_a_window_are_counted_as_other()
    {
        var windows = new TumblingWindows(maxPagesPerWindow: 2);
        foreach (var page in new[] { "/a", "/b", "/c", "/d", "/a" })
        {
            windows.Record(page, T0, T0);
        }

        var snapshot = windows.Snapshot(windows: 1, top: 10);

        Assert.Equal(
            [new PageCount("(other)", 2), new PageCount("/a", 2), new PageCount("/b", 1)],
            snapshot.Windows[0].TopPages);
        Assert.Equal(2, snapshot.Overflowed);
        Assert.Equal(5, snapshot.Windows[0].Total);
    }

    [Fact]
    public void Recording_known_pages_does_not_allocate()
    {
        var windows = new TumblingWindows();
        var names = Enumerable.Range(0, 50).Select(i => $"/product/{i}").ToArray();
        var at = T0;

        // The first pass warms up (every window's dictionary grown to size); the second is measured.
        // Some events are late, some too late for their window: every path of Record runs.
        RecordMany(windows, names, ref at);
        Assert.Equal(0, Allocations.LeastPerPass(() => RecordMany(windows, names, ref at)));

        static void RecordMany(TumblingWindows windows, string[] names, ref DateTimeOffset at)
        {
            for (var i = 0; i < 40_000; i++)
            {
                windows.Record(names[i % names.Length], at - TimeSpan.FromSeconds(i % 400), at);
                at += TimeSpan.FromMilliseconds(10);
            }
        }
    }
}
