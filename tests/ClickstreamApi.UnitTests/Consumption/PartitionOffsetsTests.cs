using ClickstreamApi.Consumption;

namespace ClickstreamApi.UnitTests.Consumption;

public sealed class PartitionOffsetsTests
{
    [Fact]
    public void A_new_group_on_a_partition_read_from_offset_zero_starts_there_with_no_join_point()
    {
        var offsets = new PartitionOffsets();

        var start = offsets.Assign(0, committed: null, low: 0, high: 500);

        Assert.Equal(new PartitionStart(null, 0, false, false, null), start);
        Assert.Equal(-1, offsets.LastRead(0));
    }

    [Fact]
    public void A_commit_in_the_middle_starts_one_message_early_at_the_marker()
    {
        var offsets = new PartitionOffsets();

        var start = offsets.Assign(3, committed: 475, low: 0, high: 600);

        Assert.Equal(new PartitionStart(474, 475, false, true, 474), start);
        Assert.Equal(0, offsets.Read(3, 474).Skipped);
    }

    [Fact]
    public void When_the_message_before_the_start_is_gone_the_join_has_no_marker()
    {
        var offsets = new PartitionOffsets();

        // A new group on a partition whose oldest messages the broker evicted.
        var start = offsets.Assign(1, committed: null, low: 9_000, high: 12_000);

        Assert.Equal(new PartitionStart(null, 9_000, false, true, null), start);
    }

    [Fact]
    public void An_empty_partition_has_no_join_point_even_far_from_offset_zero()
    {
        var offsets = new PartitionOffsets();

        Assert.False(offsets.Assign(2, committed: null, low: 800, high: 800).JoinedMidway);
    }

    [Fact]
    public void A_partition_lost_and_given_back_resumes_after_the_last_message_read_not_the_older_commit()
    {
        var offsets = new PartitionOffsets();
        offsets.Assign(0, committed: null, low: 0, high: 0);
        for (long offset = 0; offset <= 221; offset++)
        {
            offsets.Read(0, offset);
        }

        offsets.Revoke(0);
        var start = offsets.Assign(0, committed: 158, low: 0, high: 400);

        Assert.Equal(new PartitionStart(222, 158, true, false, null), start);
    }

    [Fact]
    public void A_newer_commit_by_another_member_wins_over_where_this_consumer_stopped()
    {
        var offsets = new PartitionOffsets();
        offsets.Assign(0, committed: null, low: 0, high: 0);
        offsets.Read(0, 0);
        offsets.Read(0, 1);
        offsets.Revoke(0);

        var start = offsets.Assign(0, committed: 50, low: 0, high: 60);

        Assert.Equal(new PartitionStart(49, 50, false, true, 49), start);
    }

    [Fact]
    public void A_forward_jump_counts_the_messages_skipped()
    {
        var offsets = new PartitionOffsets();
        offsets.Assign(0, committed: null, low: 0, high: 0);
        offsets.Read(0, 0);

        var step = offsets.Read(0, 10);

        Assert.Equal(new OffsetStep(9, 0), step);
        Assert.Equal(0, offsets.Read(0, 11).Skipped);
    }

    [Fact]
    public void A_consumer_stalled_behind_eviction_skips_to_the_newest_and_takes_back_a_late_message_from_the_skipped_range()
    {
        var offsets = new PartitionOffsets();
        offsets.Assign(0, committed: null, low: 0, high: 0);
        offsets.Read(0, 99);

        // First look: nothing to compare with yet. Second: nothing read, and offset 100 is gone.
        Assert.Null(offsets.CheckStalled(0, low: 300, high: 1_000));
        var skip = offsets.CheckStalled(0, low: 500, high: 1_200);

        Assert.Equal(new SkipAhead(100, 500, 1_200), skip);
        Assert.Equal(-1, offsets.Read(0, 150).Skipped);
        Assert.Equal(0, offsets.Read(0, 1_200).Skipped);
    }

    [Fact]
    public void A_broker_outage_is_not_a_stall_nothing_is_evicted()
    {
        var offsets = new PartitionOffsets();
        offsets.Assign(0, committed: null, low: 0, high: 0);
        offsets.Read(0, 99);

        for (var i = 0; i < 10; i++)
        {
            Assert.Null(offsets.CheckStalled(0, low: 0, high: 5_000));
        }
    }

    [Fact]
    public void Without_committed_offsets_a_partition_read_before_resumes_after_it()
    {
        var offsets = new PartitionOffsets();
        offsets.Assign(4, committed: null, low: 0, high: 0);
        offsets.Read(4, 0);
        offsets.Revoke(4);

        Assert.Equal(1, offsets.AssignUnknown(4));
        Assert.Null(offsets.AssignUnknown(5));
    }
}
