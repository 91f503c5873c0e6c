using ClickstreamApi.Consumption;

namespace ClickstreamApi.UnitTests.Consumption;

public sealed class PartitionJoinsTests
{
    [Fact]
    public void The_marker_before_the_join_point_bounds_its_run_and_is_not_consumed()
    {
        var joins = new PartitionJoins();
        joins.JoinedMidway(partition: 3, markerOffset: 99);

        var marker = joins.Observe(3, 99, "run-a", 2_183);
        var next = joins.Observe(3, 100, "run-a", 2_197);

        Assert.Equal(new JoinObservation(true, "run-a", 2_184), marker);
        Assert.Equal(default, next);
        Assert.Equal(0, joins.Pending);
    }

    [Fact]
    public void A_marker_that_is_not_an_event_hands_over_to_the_first_event_after_it()
    {
        var joins = new PartitionJoins();
        joins.JoinedMidway(0, markerOffset: 10);

        var marker = joins.Observe(0, 10, runId: null, seq: null);
        var rejected = joins.Observe(0, 11, runId: null, seq: null);
        var first = joins.Observe(0, 12, "run-a", 500);

        Assert.Equal(new JoinObservation(true, null, 0), marker);
        Assert.Equal(default, rejected);
        Assert.Equal(new JoinObservation(false, "run-a", 500), first);
    }

    [Fact]
    public void When_the_marker_is_gone_the_first_event_read_bounds_its_run()
    {
        var joins = new PartitionJoins();
        joins.JoinedMidway(1, markerOffset: 10);

        // The broker evicted offsets up to 40 before the fetch: reading resumed at the oldest held.
        var first = joins.Observe(1, 41, "run-a", 7_000);

        Assert.Equal(new JoinObservation(false, "run-a", 7_000), first);
    }

    [Fact]
    public void Partitions_read_from_their_start_or_left_say_nothing_about_joins()
    {
        var joins = new PartitionJoins();
        joins.JoinedMidway(0, null);
        joins.JoinedMidway(1, 5);
        joins.JoinedAtStart(0);
        joins.Left(1);

        Assert.Equal(default, joins.Observe(0, 0, "run-a", 1));
        Assert.Equal(default, joins.Observe(1, 5, "run-a", 9));
        Assert.Equal(0, joins.Pending);
    }

    [Fact]
    public void Each_partition_is_bounded_once_by_its_own_first_message()
    {
        var joins = new PartitionJoins();
        joins.JoinedMidway(0, 99);
        joins.JoinedMidway(1, null);

        Assert.Equal(new JoinObservation(false, "run-b", 40), joins.Observe(1, 7, "run-b", 40));
        Assert.Equal(default, joins.Observe(1, 8, "run-b", 52));
        Assert.Equal(new JoinObservation(true, "run-a", 11), joins.Observe(0, 99, "run-a", 10));
    }
}
