using ClickstreamApi.Generation;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Generation;

public sealed class ConsumerLeadTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void The_producer_waits_only_while_too_far_ahead_of_a_consumer_holding_every_partition()
    {
        var lead = new ConsumerLead(maxLead: 1_000, partitions: 3, _time);

        Assert.Equal(ConsumerLead.Decision.Go, lead.Decide(produced: 1_000, read: 0, partitionsHeld: 3));
        Assert.Equal(ConsumerLead.Decision.Wait, lead.Decide(produced: 1_001, read: 0, partitionsHeld: 3));

        // A consumer with part of the topic (off, or sharing its group) is not waited for.
        Assert.Equal(ConsumerLead.Decision.Go, lead.Decide(produced: 5_000, read: 0, partitionsHeld: 2));
        Assert.Equal(ConsumerLead.Decision.Go, new ConsumerLead(0, 3, _time).Decide(produced: 5_000, read: 0, partitionsHeld: 3));
    }

    [Fact]
    public void A_consumer_that_reads_nothing_for_ten_seconds_is_given_up_once_and_waited_for_again_when_it_reads()
    {
        var lead = new ConsumerLead(maxLead: 100, partitions: 1, _time);
        Assert.Equal(ConsumerLead.Decision.Wait, lead.Decide(500, 10, 1));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(ConsumerLead.Decision.Wait, lead.Decide(500, 10, 1));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ConsumerLead.Decision.GiveUp, lead.Decide(500, 10, 1));
        Assert.Equal(ConsumerLead.Decision.Go, lead.Decide(600, 10, 1));

        // It reads again: the producer waits for it again.
        Assert.Equal(ConsumerLead.Decision.Wait, lead.Decide(600, 20, 1));
    }
}
