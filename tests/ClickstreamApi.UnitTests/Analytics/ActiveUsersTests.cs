using ClickstreamApi.Analytics;

namespace ClickstreamApi.UnitTests.Analytics;

public sealed class ActiveUsersTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nothing_recorded_reads_zero()
    {
        var snapshot = new ActiveUsers().Snapshot(T0);

        Assert.Equal(0, snapshot.Last1m);
        Assert.Equal(0, snapshot.Last5m);
        Assert.Equal(HyperLogLog.StandardError, snapshot.StandardError);
    }

    [Fact]
    public void Users_active_over_the_last_five_minutes_are_estimated_within_five_percent()
    {
        var users = new ActiveUsers();

        // 20,000 users, each active several times at different moments over 4 minutes.
        var random = new Random(7);
        for (var i = 0; i < 100_000; i++)
        {
            users.Record($"user-{i % 20_000}", T0 + TimeSpan.FromMilliseconds(random.Next(240_000)));
        }

        var snapshot = users.Snapshot(T0 + TimeSpan.FromMinutes(4));

        HyperLogLogTests.AssertWithin(0.05, 20_000, snapshot.Last5m);
    }

    [Fact]
    public void Users_seen_only_before_the_window_are_not_counted()
    {
        var users = new ActiveUsers();
        for (var i = 0; i < 5_000; i++)
        {
            users.Record($"early-{i}", T0 + TimeSpan.FromSeconds(i % 60));
        }

        for (var i = 0; i < 1_000; i++)
        {
            users.Record($"late-{i}", T0 + TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(i % 60));
        }

        var snapshot = users.Snapshot(T0 + TimeSpan.FromMinutes(7));

        HyperLogLogTests.AssertWithin(0.05, 1_000, snapshot.Last5m);
        Assert.Equal(0, users.Snapshot(T0 + TimeSpan.FromMinutes(20)).Last5m);
    }

    [Fact]
    public void The_last_minute_counts_only_the_users_of_the_last_minute()
    {
        var users = new ActiveUsers();
        for (var i = 0; i < 3_000; i++)
        {
            users.Record($"a-{i}", T0 + TimeSpan.FromSeconds(i % 100));
        }

        for (var i = 0; i < 500; i++)
        {
            users.Record($"b-{i}", T0 + TimeSpan.FromSeconds(200 + (i % 50)));
        }

        var snapshot = users.Snapshot(T0 + TimeSpan.FromSeconds(250));

        HyperLogLogTests.AssertWithin(0.05, 500, snapshot.Last1m);
        HyperLogLogTests.AssertWithin(0.05, 3_500, snapshot.Last5m);
    }

    [Fact]
    public void The_same_users_in_every_bucket_are_counted_once()
    {
        var users = new ActiveUsers();
        for (var second = 0; second < 300; second += 10)
        {
            for (var i = 0; i < 2_000; i++)
            {
                users.Record($"user-{i}", T0 + TimeSpan.FromSeconds(second));
            }
        }

        var snapshot = users.Snapshot(T0 + TimeSpan.FromSeconds(295));

        HyperLogLogTests.AssertWithin(0.05, 2_000, snapshot.Last5m);
        HyperLogLogTests.AssertWithin(0.05, 2_000, snapshot.Last1m);
    }

    [Fact]
    public void Events_older_than_the_window_are_counted_as_stale_not_added()
    {
        var users = new ActiveUsers();
        users.Record("now", T0 + TimeSpan.FromMinutes(10));

        users.Record("ancient", T0);

        var snapshot = users.Snapshot(T0 + TimeSpan.FromMinutes(10));
        Assert.Equal(1, snapshot.Stale);
        Assert.Equal(1, snapshot.Last5m);
    }

    [Fact]
    public void Recording_does_not_allocate()
    {
        var users = new ActiveUsers();
        var ids = Enumerable.Range(0, 1_000).Select(i => $"user-{i}").ToArray();
        var at = T0;

        // The first pass warms up (one-off type set-up is not the per-event cost); the second is measured.
        RecordMany(users, ids, ref at);
        Assert.Equal(0, Allocations.LeastPerPass(() => RecordMany(users, ids, ref at)));

        static void RecordMany(ActiveUsers users, string[] ids, ref DateTimeOffset at)
        {
            for (var i = 0; i < 100_000; i++)
            {
                users.Record(ids[i % ids.Length], at);
                at += TimeSpan.FromMilliseconds(7);
            }
        }
    }
}
