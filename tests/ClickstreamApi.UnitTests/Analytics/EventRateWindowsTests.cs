using ClickstreamApi.Analytics;

namespace ClickstreamApi.UnitTests.Analytics;

public sealed class EventRateWindowsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_structure_reads_zero_with_every_type_present()
    {
        var rates = new EventRateWindows(Start);

        var snapshot = rates.Snapshot(Start + TimeSpan.FromSeconds(5));

        Assert.Equal(RateWindow.Zero, snapshot.Overall);
        Assert.Equal(
            ["add_to_cart", "checkout", "click", "other", "page_view", "purchase", "search"],
            snapshot.ByType.Keys.Order(StringComparer.Ordinal));
        Assert.All(snapshot.ByType.Values, rate => Assert.Equal(RateWindow.Zero, rate));
    }

    [Fact]
    public void Steady_recording_reads_the_recorded_rate_overall_and_by_type()
    {
        var rates = new EventRateWindows(Start);

        // Per second: 10 page views, 5 clicks, 2 events of types nobody announced.
        RecordPerSecond(rates, 0, 70, ("page_view", 10), ("click", 5), ("mystery", 1), ("PAGE_VIEW", 1));

        var snapshot = rates.Snapshot(Start + TimeSpan.FromSeconds(70.5));

        Assert.Equal(new RateWindow(17, 17, 17), snapshot.Overall);
        Assert.Equal(new RateWindow(10, 10, 10), snapshot.ByType["page_view"]);
        Assert.Equal(new RateWindow(5, 5, 5), snapshot.ByType["click"]);
        Assert.Equal(new RateWindow(2, 2, 2), snapshot.ByType["other"]);
        Assert.Equal(RateWindow.Zero, snapshot.ByType["purchase"]);
        Assert.Equal(7, snapshot.ByType.Count);
    }

    [Fact]
    public void Early_readings_divide_by_the_complete_seconds_elapsed_so_far()
    {
        var rates = new EventRateWindows(Start);
        RecordPerSecond(rates, 0, 4, ("search", 100));

        // 3.5 s in: seconds 0, 1 and 2 are complete, the fourth is still being filled.
        var snapshot = rates.Snapshot(Start + TimeSpan.FromSeconds(3.5));

        Assert.Equal(new RateWindow(100, 100, 100), snapshot.Overall);
        Assert.Equal(RateWindow.Zero, rates.Snapshot(Start + TimeSpan.FromSeconds(0.9)).Overall);
    }

    [Fact]
    public void The_second_being_filled_is_not_counted()
    {
        var rates = new EventRateWindows(Start);
        RecordPerSecond(rates, 0, 20, ("click", 4));
        RecordPerSecond(rates, 20, 21, ("click", 1_000));

        var snapshot = rates.Snapshot(Start + TimeSpan.FromSeconds(20.99));

        Assert.Equal(new RateWindow(4, 4, 4), snapshot.Overall);
    }

    [Fact]
    public void A_rate_change_shows_in_the_short_windows_first()
    {
        var rates = new EventRateWindows(Start);
        RecordPerSecond(rates, 0, 60, ("page_view", 10));
        RecordPerSecond(rates, 60, 70, ("page_view", 70));

        var snapshot = rates.Snapshot(Start + TimeSpan.FromSeconds(70));

        // The last minute: 50 s at 10/s and 10 s at 70/s.
        Assert.Equal(new RateWindow(70, 70, 20), snapshot.Overall);
    }

    [Fact]
    public void Readings_fall_to_zero_after_a_pause_and_old_slots_are_not_counted_again()
    {
        var rates = new EventRateWindows(Start);
        RecordPerSecond(rates, 0, 5, ("click", 3));

        Assert.Equal(RateWindow.Zero, rates.Snapshot(Start + TimeSpan.FromSeconds(200)).Overall);

        // 64 s later the same ring slots come round again: the old counts must not leak in.
        RecordPerSecond(rates, 64, 66, ("click", 1));
        var snapshot = rates.Snapshot(Start + TimeSpan.FromSeconds(66));

        Assert.Equal(1, snapshot.Overall.Last1s);
        Assert.Equal(0.2, snapshot.Overall.Last10s, 9);
        Assert.Equal(2 / 60.0, snapshot.Overall.Last60s, 9);
    }

    [Fact]
    public void Events_older_than_the_longest_window_or_the_start_are_counted_as_stale()
    {
        var rates = new EventRateWindows(Start);
        rates.Record("click", Start + TimeSpan.FromSeconds(100));

        rates.Record("click", Start + TimeSpan.FromSeconds(30));
        rates.Record("click", Start - TimeSpan.FromSeconds(1));
        rates.Record("click", Start + TimeSpan.FromSeconds(50));

        var snapshot = rates.Snapshot(Start + TimeSpan.FromSeconds(101));
        Assert.Equal(2, snapshot.Stale);
        Assert.Equal(2 / 60.0, snapshot.Overall.Last60s, 9);
    }

    [Fact]
    public void Recording_does_not_allocate()
    {
        var rates = new EventRateWindows(Start);
        string[] types = ["page_view", "click", "search", "add_to_cart", "checkout", "purchase", "bogus"];
        var at = Start;

        // The first pass warms up (one-off type set-up is not the per-event cost); the second is measured.
        RecordMany(rates, types, ref at);
        Assert.Equal(0, Allocations.LeastPerPass(() => RecordMany(rates, types, ref at)));

        static void RecordMany(EventRateWindows rates, string[] types, ref DateTimeOffset at)
        {
            for (var i = 0; i < 100_000; i++)
            {
                rates.Record(types[i % types.Length], at);
                at += TimeSpan.FromMilliseconds(3);
            }
        }
    }

    /// <summary>Records the given counts in every second from <paramref name="from"/> to before <paramref name="to"/>, spread over each second.</summary>
    private static void RecordPerSecond(EventRateWindows rates, int from, int to, params (string Type, int Count)[] perSecond)
    {
        for (var second = from; second < to; second++)
        {
            foreach (var (type, count) in perSecond)
            {
                for (var i = 0; i < count; i++)
                {
                    rates.Record(type, Start + TimeSpan.FromSeconds(second + (i / (double)count)));
                }
            }
        }
    }
}
