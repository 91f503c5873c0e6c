using ClickstreamApi.Analytics.EventTime;

namespace ClickstreamApi.UnitTests.Analytics.EventTime;

public sealed class RunWindowsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);

    private static RunWindows New(int latenessSeconds = 60, int maxWindows = 1_000) =>
        new("run", new WindowOptions { WindowSeconds = 15, AllowedLatenessSeconds = latenessSeconds, MaxWindowsPerRun = maxWindows });

    private static TalliedEvent At(double seconds, string page = "/", string type = "page_view", string user = "1", string session = "s-1", decimal? amount = null, string? currency = null) =>
        new(T0.AddSeconds(seconds), page, type, user, session, amount, currency);

    [Fact]
    public void Events_are_counted_in_their_event_time_window_by_page_type_users_and_revenue()
    {
        var windows = New();
        windows.Record(At(1, "/", user: "1"));
        windows.Record(At(2, "/cart", user: "2", session: "s-2"));
        windows.Record(At(14.999, "/checkout/confirmation", "purchase", user: "2", session: "s-2", amount: 10.50m, currency: "EUR"));
        windows.Record(At(16, "/", user: "1"));
        windows.Finish();

        var all = windows.Windows().ToList();
        Assert.Equal([T0, T0.AddSeconds(15)], all.Select(w => w.Start));
        var first = all[0];
        Assert.Equal(3, first.Events);
        Assert.Equal(new Dictionary<string, long> { ["/"] = 1, ["/cart"] = 1, ["/checkout/confirmation"] = 1 }, first.ByPage);
        Assert.Equal(new Dictionary<string, long> { ["page_view"] = 2, ["purchase"] = 1 }, first.ByEventType);
        Assert.Equal(2, first.DistinctUsers);
        Assert.Equal(1, first.Purchases);
        Assert.Equal(10.50m, first.Revenue["EUR"]);
        Assert.True(first.Final);
    }

    [Fact]
    public void A_session_starts_in_its_first_event_s_window_and_ends_in_its_last_once_30_minutes_pass()
    {
        var windows = New();
        windows.Record(At(0, session: "s-a"));
        windows.Record(At(40, session: "s-a"));
        windows.Record(At(100, session: "s-b", user: "2"));

        // Nothing has ended yet: the sessions may go on.
        Assert.All(windows.Windows(), w => Assert.Equal(0, w.SessionsEnded));

        // 30 minutes later (by event time) s-a and s-b are over.
        windows.Record(At(1_950, session: "s-c", user: "3"));
        var all = windows.Windows().ToDictionary(w => w.Start);
        Assert.Equal(1, all[T0].SessionsStarted);
        Assert.Equal(1, all[T0.AddSeconds(30)].SessionsEnded);
        Assert.Equal(1, all[T0.AddSeconds(90)].SessionsStarted);
        Assert.Equal(1, all[T0.AddSeconds(90)].SessionsEnded);
        Assert.Equal(0, all[T0.AddSeconds(1_950)].SessionsStarted);
        Assert.True(all[T0].Final);
        Assert.False(all[T0.AddSeconds(1_950)].Final);
    }

    [Fact]
    public void Seen_as_if_ended_the_open_sessions_end_with_their_last_event_without_ending_the_run()
    {
        var windows = New();
        windows.Record(At(0, session: "s-a"));
        windows.Record(At(40, session: "s-a"));

        var ended = windows.Windows(asIfEnded: true).ToDictionary(w => w.Start);
        Assert.Equal(1, ended[T0].SessionsStarted);
        Assert.Equal(1, ended[T0.AddSeconds(30)].SessionsEnded);
        Assert.All(ended.Values, w => Assert.True(w.Final));

        // Nothing changed: the session may still go on.
        Assert.All(windows.Windows(), w => Assert.Equal(0, w.SessionsStarted + w.SessionsEnded));
        windows.Record(At(70, session: "s-a"));
        windows.Finish();
        Assert.Equal(1, windows.Window(T0.AddSeconds(60))!.SessionsEnded);
        Assert.Equal(0, windows.Window(T0.AddSeconds(30))!.SessionsEnded);
    }

    [Fact]
    public void A_partition_read_ahead_does_not_close_windows_the_others_still_fill()
    {
        var windows = New(latenessSeconds: 0);
        windows.Record(At(1), partition: 0);
        windows.Record(At(500, session: "s-2"), partition: 1);

        Assert.False(windows.CountsClosed(T0));
        Assert.Equal(T0.AddSeconds(1), windows.Watermark);

        windows.Record(At(600, session: "s-3"), partition: 0);
        Assert.True(windows.CountsClosed(T0));
        Assert.Equal(T0.AddSeconds(500), windows.Watermark);
    }

    [Fact]
    public void A_late_event_within_the_lateness_is_exact_and_one_after_it_is_counted_and_flagged()
    {
        var windows = New(latenessSeconds: 30);
        windows.Record(At(1, user: "1"));
        windows.Record(At(40, user: "2", session: "s-2"));
        windows.Record(At(2, user: "3", session: "s-3"));
        Assert.Equal(2, windows.Window(T0)!.DistinctUsers);

        // The window closes when the watermark passes its end by 30 s; a later event still counts.
        windows.Record(At(50, user: "4", session: "s-4"));
        Assert.True(windows.CountsClosed(T0));
        windows.Record(At(3, user: "5", session: "s-5"));
        var first = windows.Window(T0)!;
        Assert.Equal(3, first.Events);
        Assert.Equal(2, first.DistinctUsers);
        Assert.Equal(1, first.AfterLateness);
    }

    [Fact]
    public void Windows_beyond_the_limit_are_evicted_oldest_first_and_counted()
    {
        var windows = New(maxWindows: 3);
        for (var i = 0; i < 5; i++)
        {
            windows.Record(At(i * 15, session: $"s-{i}"));
        }

        windows.Record(At(0, session: "s-late"));

        Assert.Equal([T0.AddSeconds(30), T0.AddSeconds(45), T0.AddSeconds(60)], windows.Windows().Select(w => w.Start));
        Assert.Equal(2, windows.EvictedWindows);
        Assert.Equal(3, windows.EvictedEvents);
        Assert.Equal(5, windows.Events);
    }

    [Fact]
    public void Beyond_the_open_session_limit_the_ones_idle_longest_are_ended_at_their_last_event_and_counted()
    {
        var windows = new RunWindows("run", new WindowOptions { WindowSeconds = 15, MaxOpenSessions = 1_000 });
        for (var i = 0; i < 1_501; i++)
        {
            windows.Record(At(i * 0.001, user: i.ToString(System.Globalization.CultureInfo.InvariantCulture), session: $"s-{i:x16}"));
        }

        Assert.Equal(501, windows.SessionsCutShort);
        var first = windows.Window(T0)!;
        Assert.Equal(501, first.SessionsStarted);
        Assert.Equal(501, first.SessionsEnded);
        windows.Finish();
        Assert.Equal(1_501, windows.Window(T0)!.SessionsEnded);
    }

    [Theory]
    [InlineData("s-00000000000000ff", 255UL)]
    [InlineData("s-ffffffffffffffff", ulong.MaxValue)]
    public void The_generator_s_session_ids_are_their_own_key(string id, ulong key) => Assert.Equal(key, SessionKeys.Of(id));

    [Fact]
    public void Other_session_ids_are_hashed_apart()
    {
        var keys = Enumerable.Range(0, 100_000).Select(i => SessionKeys.Of("session-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToHashSet();
        Assert.Equal(100_000, keys.Count);
    }

    [Fact]
    public void Windows_before_1970_and_of_odd_lengths_start_on_their_boundary()
    {
        var windows = new RunWindows("run", new WindowOptions { WindowSeconds = 7 });
        var before = new DateTimeOffset(1969, 12, 31, 23, 59, 55, TimeSpan.Zero);
        windows.Record(new TalliedEvent(before, "/", "page_view", "1", null, null, null));
        windows.Record(new TalliedEvent(DateTimeOffset.UnixEpoch.AddSeconds(8), "/", "page_view", "1", null, null, null));

        Assert.Equal([DateTimeOffset.UnixEpoch.AddSeconds(-7), DateTimeOffset.UnixEpoch.AddSeconds(7)], windows.Windows().Select(w => w.Start));
    }
}
