using ClickstreamApi.Analytics;
using ClickstreamApi.Consumption.Sinks;
using ClickstreamApi.Events;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Consumption.Sinks;

/// <summary>The analytics sink measures latency from the scheduled send time where it is known, and counts the events where it is not.</summary>
public sealed class AnalyticsSinkTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly ScheduledSendTimes _scheduled = new(16);

    [Fact]
    public void Events_found_by_run_and_seq_are_measured_from_their_scheduled_time_and_the_rest_are_counted()
    {
        var analytics = new StreamAnalytics(_time);
        var sink = new AnalyticsSink(analytics, _scheduled);
        _scheduled.BeginRun("ours");
        for (var seq = 1; seq <= 20; seq++)
        {
            // Due 30 ms before it was made, made 10 ms before it was consumed.
            _scheduled.Record(seq, T0.AddMilliseconds(-40));
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        var consumedAt = T0;

        // Seqs 5 to 20 are still in the ring of 16; 1 to 4 were overwritten.
        for (var seq = 1; seq <= 20; seq++)
        {
            sink.Accept(Event("ours", seq, T0.AddMilliseconds(-10)), consumedAt);
        }

        sink.Accept(Event("another-instance", 5, T0.AddMilliseconds(-10)), consumedAt);
        sink.Accept(Event(null, null, T0.AddMilliseconds(-10)), consumedAt);
        sink.Accept(Event("ours", 21, T0.AddMilliseconds(-10)), consumedAt);
        sink.AfterPoll();

        var latency = analytics.Latest.Latency;
        Assert.Equal(23, latency.SinceStart.Count);
        Assert.Equal(10, latency.SinceStart.Max, 1);
        Assert.Equal(16, latency.FromScheduled.SinceStart.Count);
        Assert.Equal(16, latency.FromScheduled.Last60s.Count);
        Assert.Equal(40, latency.FromScheduled.SinceStart.P50, 1);
        Assert.Equal(40, latency.FromScheduled.Last60s.Max, 1);
        Assert.Equal(7, latency.WithoutScheduledTime);
    }

    private static ConsumedEvent Event(string? runId, long? seq, DateTimeOffset occurredAt) => new(
        new ClickEvent
        {
            EventId = Guid.CreateVersion7(occurredAt),
            RunId = runId,
            Seq = seq,
            UserId = "42",
            EventType = "page_view",
            Page = "/home",
            OccurredAt = occurredAt,
        },
        partition: 0,
        offset: seq ?? 0,
        occurredAt);
}
