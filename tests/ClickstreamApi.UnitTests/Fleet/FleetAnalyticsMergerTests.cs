using ClickstreamApi.Analytics;
using ClickstreamApi.Fleet;

namespace ClickstreamApi.UnitTests.Fleet;

/// <summary>How members' consumption parts add up: only a group's own members, exact sums, page counts within their stated bound, and no gap claimed that snapshots cannot prove.</summary>
public sealed class FleetAnalyticsMergerTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WindowStart = new(2026, 12, 2, 11, 59, 45, TimeSpan.Zero);

    [Fact]
    public void Only_members_of_this_member_s_consumer_group_are_added_up()
    {
        var live = new[]
        {
            Member("a", Consumption("shared", [0, 1, 2], consumed: 100, pages: [("/", 60), ("/cart", 40)], distinct: 2)),
            Member("b", Consumption("shared", [3, 4, 5], consumed: 50, pages: [("/", 30), ("/checkout", 20)], distinct: 2)),
            Member("c", Consumption("own-group-of-c", [0, 1, 2, 3, 4, 5], consumed: 150, pages: [("/", 90)], distinct: 3)),
            Member("d", null),
        };

        var merged = FleetAnalyticsMerger.Merge("shared", live)!;

        Assert.Equal(["a", "b"], merged.Members);
        Assert.Equal(1, merged.MembersInOtherGroups);
        Assert.Equal(6, merged.PartitionsCovered);
        Assert.Equal(6, merged.TopicPartitions);
        Assert.Equal(150, merged.Consumed);
        Assert.Equal(new RateWindow(150, 150, 150), merged.Rates.Overall);
        Assert.Equal(new RateWindow(150, 150, 150), merged.Rates.ByType["click"]);
        Assert.Equal(150, merged.TopPages.Last5m.Total);
        Assert.Equal([new PageCount("/", 90), new PageCount("/cart", 40), new PageCount("/checkout", 20)], merged.TopPages.Last5m.Top);
        Assert.Equal(0, merged.TopPages.Last5m.MaxUndercount);
        Assert.Null(FleetAnalyticsMerger.Merge("nobody's", live));
    }

    [Fact]
    public void A_cut_list_sets_the_bound_of_every_count()
    {
        // b had 5 distinct pages and listed 2: a page it did not list had at most 7 events there.
        var live = new[]
        {
            Member("a", Consumption("g", [0], consumed: 100, pages: [("/", 50), ("/x", 50)], distinct: 2)),
            Member("b", Consumption("g", [1], consumed: 40, pages: [("/y", 9), ("/", 7)], distinct: 5)),
        };

        var pages = FleetAnalyticsMerger.Merge("g", live)!.TopPages.Last5m;

        Assert.Equal(140, pages.Total);
        Assert.Equal(7, pages.MaxUndercount);
        Assert.Equal(new PageCount("/", 57), pages.Top[0]);
        Assert.Equal(new PageCount("/x", 50), pages.Top[1]);
    }

    [Fact]
    public void Windows_add_up_by_their_start()
    {
        var live = new[]
        {
            Member("a", Consumption("g", [0], consumed: 10, pages: [("/", 10)], distinct: 1)),
            Member("b", Consumption("g", [1], consumed: 5, pages: [("/", 5)], distinct: 1)),
        };

        var window = Assert.Single(FleetAnalyticsMerger.Merge("g", live)!.Windows);

        Assert.Equal(WindowStart, window.Start);
        Assert.Equal(15, window.Total);
        Assert.Equal([new PageCount("/", 15)], window.TopPages);
    }

    [Fact]
    public void An_unreadable_sketch_leaves_its_member_out_of_every_sketch_and_is_counted()
    {
        var good = Consumption("g", [0], consumed: 10, pages: [("/", 10)], distinct: 1, users: 300, latencyMs: 5);
        var bad = Consumption("g", [1], consumed: 10, pages: [("/", 10)], distinct: 1, users: 300, latencyMs: 5) with
        {
            Latency = new LatencySketch([1, 2, 3], [4, 5, 6]),
        };

        var merged = FleetAnalyticsMerger.Merge("g", [Member("a", good), Member("b", bad)])!;

        Assert.Equal(1, merged.UnreadableSketches);
        Assert.InRange(merged.ActiveUsers.Last5m, 295, 305);
        Assert.Equal(300, merged.Latency.SinceStart.Count);
    }

    [Fact]
    public void Sketches_of_two_members_merge_into_the_users_and_latency_of_both()
    {
        var merged = FleetAnalyticsMerger.Merge("g", [
            Member("a", Consumption("g", [0], consumed: 300, pages: [], distinct: 0, users: 300, latencyMs: 5, userPrefix: "a")),
            Member("b", Consumption("g", [1], consumed: 300, pages: [], distinct: 0, users: 300, latencyMs: 50, userPrefix: "b")),
        ])!;

        Assert.InRange(merged.ActiveUsers.Last5m, 590, 610);
        Assert.Equal(600, merged.Latency.SinceStart.Count);
        Assert.Equal(5, merged.Latency.SinceStart.P50, 1);
        Assert.Equal(50, merged.Latency.SinceStart.Max, 0);
    }

    [Fact]
    public void A_run_seen_by_two_consumers_adds_up_and_its_gaps_are_what_neither_received()
    {
        var a = Member("a", Consumption("g", [0], consumed: 0, pages: [], distinct: 0) with { Runs = [Run("r1", received: 60, maxSeq: 100)] });
        var b = Member("b", Consumption("g", [1], consumed: 0, pages: [], distinct: 0) with { Runs = [Run("r1", received: 38, maxSeq: 99)] });

        var seen = FleetAnalyticsMerger.SeenByGroup("r1", "g", [a, b], [])!;

        Assert.Equal(98, seen.Received);
        Assert.Equal(100, seen.MaxSeq);
        Assert.Equal(2, seen.Missing);
        Assert.Null(seen.Unproven);
        Assert.Equal(["a", "b"], seen.Consumers);
        Assert.Null(FleetAnalyticsMerger.SeenByGroup("r2", "g", [a, b], []));
    }

    [Fact]
    public void A_run_seen_by_a_consumer_that_is_gone_claims_no_gap()
    {
        var a = Member("a", Consumption("g", [0], consumed: 0, pages: [], distinct: 0) with { Runs = [Run("r1", received: 60, maxSeq: 100)] });
        var lost = Member("b", Consumption("g", [1], consumed: 0, pages: [], distinct: 0) with { Runs = [Run("r1", received: 30, maxSeq: 90)] });

        var seen = FleetAnalyticsMerger.SeenByGroup("r1", "g", [a], [lost])!;

        Assert.Null(seen.Missing);
        Assert.Contains("b", seen.Unproven, StringComparison.Ordinal);
        Assert.Equal(90, seen.Received);
    }

    private static FleetSnapshot Member(string name, FleetConsumption? consumption) =>
        new(name, At, At, 64, [], false, null, null, 0, 0, 0, 0, 0, 0, 0, null, 0, null, consumption);

    private static RunSnapshot Run(string id, long received, long maxSeq) =>
        new(id, 1, maxSeq, received, 0, maxSeq - received, 0, 1, 0, 0, At, At);

    private static FleetConsumption Consumption(string group, int[] partitions, long consumed, (string Page, long Count)[] pages, int distinct, int users = 0, double latencyMs = 1, string userPrefix = "u")
    {
        var activeUsers = new ActiveUsers();
        var latency = new LatencyHistogram();
        for (var i = 0; i < users; i++)
        {
            activeUsers.Record(userPrefix + i, At);
            latency.Record(At - TimeSpan.FromMilliseconds(latencyMs), At);
        }

        activeUsers.Snapshot(At, out var usersSketch);
        latency.Snapshot(At, out var latencySketch);
        var top = pages.Select(p => new PageCount(p.Page, p.Count)).ToList();
        var list = new TopPagesWindow(consumed, distinct, top);
        return new FleetConsumption(
            group,
            6,
            partitions,
            consumed,
            At,
            new EventRatesSnapshot(new RateWindow(consumed, consumed, consumed), new Dictionary<string, RateWindow> { ["click"] = new(consumed, consumed, consumed) }, 0),
            usersSketch,
            latencySketch,
            new TopPagesSnapshot(list, list, 0, 0),
            [new TumblingWindowSnapshot(WindowStart, WindowStart.AddSeconds(15), consumed, distinct, top)],
            []);
    }
}
