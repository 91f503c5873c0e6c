using ClickstreamApi.Kafka;

namespace ClickstreamApi.UnitTests.Kafka;

public sealed class KafkaOutageTrackerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_minute_of_outage_gives_one_line_at_the_start_a_summary_every_interval_and_one_at_the_end()
    {
        var tracker = new KafkaOutageTracker(Interval);
        var lines = new List<OutageLine>();
        Assert.Null(tracker.Observe(true, new ConnectionFailureCount(0, null, null), Start));

        // A probe a second, with about ten failed connection attempts between probes.
        for (var second = 1; second <= 61; second++)
        {
            var failures = new ConnectionFailureCount(second * 10, "Connection refused", Start.AddSeconds(second));
            if (tracker.Observe(false, failures, Start.AddSeconds(second)) is { } line)
            {
                lines.Add(line);
            }
        }

        var end = tracker.Observe(true, new ConnectionFailureCount(620, "Connection refused", Start.AddSeconds(62)), Start.AddSeconds(62));

        Assert.Equal([OutageLineKind.Started, OutageLineKind.StillUnreachable, OutageLineKind.StillUnreachable], lines.Select(l => l.Kind));
        Assert.Equal(TimeSpan.FromSeconds(30), lines[1].Duration);
        Assert.Equal(310, lines[1].Attempts);
        Assert.Equal(TimeSpan.FromSeconds(60), lines[2].Duration);
        Assert.Equal(610, lines[2].Attempts);
        Assert.NotNull(end);
        Assert.Equal(OutageLineKind.Recovered, end.Kind);
        Assert.Equal(TimeSpan.FromSeconds(61), end.Duration);
        Assert.Equal(620, end.Attempts);
        Assert.False(tracker.InOutage);
    }

    [Fact]
    public void Connection_failures_while_the_cluster_answers_are_summarized_at_most_once_an_interval()
    {
        var tracker = new KafkaOutageTracker(Interval);
        var lines = new List<OutageLine>();
        for (var second = 0; second < 90; second++)
        {
            // One broker of several keeps refusing: failures grow, the cluster still answers.
            if (tracker.Observe(true, new ConnectionFailureCount(second * 3, "broker 2 refused", Start.AddSeconds(second)), Start.AddSeconds(second)) is { } line)
            {
                lines.Add(line);
            }
        }

        Assert.All(lines, l => Assert.Equal(OutageLineKind.ConnectionFailures, l.Kind));
        Assert.Equal(3, lines.Count);
        Assert.Equal(3 + 90 + 90, lines.Sum(l => l.Attempts));
    }

    [Fact]
    public void A_quiet_healthy_cluster_logs_nothing()
    {
        var tracker = new KafkaOutageTracker(Interval);
        for (var second = 0; second < 100; second++)
        {
            Assert.Null(tracker.Observe(true, new ConnectionFailureCount(0, null, null), Start.AddSeconds(second)));
        }
    }

    [Fact]
    public void Attempts_of_an_outage_count_from_the_last_answer_not_from_the_start()
    {
        var tracker = new KafkaOutageTracker(Interval);
        tracker.Observe(false, new ConnectionFailureCount(50, "a", Start), Start);
        tracker.Observe(true, new ConnectionFailureCount(80, "a", Start), Start.AddSeconds(5));

        var second = tracker.Observe(false, new ConnectionFailureCount(85, "b", Start.AddSeconds(10)), Start.AddSeconds(10));

        Assert.NotNull(second);
        Assert.Equal(OutageLineKind.Started, second.Kind);
        Assert.Equal(5, second.Attempts);
        Assert.Equal("b", second.Reason);
    }
}
