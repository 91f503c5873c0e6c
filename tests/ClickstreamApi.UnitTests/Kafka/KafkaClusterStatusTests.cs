using ClickstreamApi.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClickstreamApi.UnitTests.Kafka;

public sealed class KafkaClusterStatusTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Readiness_reasons_say_in_words_what_stands_in_the_way()
    {
        var status = new KafkaClusterStatus(External("127.0.0.1:1"), _time);
        Assert.Equal("Kafka at 127.0.0.1:1 not reached yet (the first request is under way)", status.Problem());

        status.ReportUnreachable("Connection refused");
        _time.Advance(TimeSpan.FromSeconds(12));
        status.ReportUnreachable("Connection refused again");
        Assert.Equal("Kafka at 127.0.0.1:1 unreachable for 12 s (Connection refused again)", status.Problem());

        status.ReportReachable(brokers: 3);
        Assert.Equal("topic user_clickstream not found at 127.0.0.1:1", status.Problem());

        status.ReportTopicMissing("this client is not allowed to create topics");
        Assert.Equal("topic user_clickstream not found at 127.0.0.1:1: this client is not allowed to create topics", status.Problem());
        Assert.False(status.TopicReady.IsCompleted);

        status.ReportTopicReady(partitions: 12);
        Assert.Null(status.Problem());
        Assert.True(status.TopicReady.IsCompleted);
        Assert.Equal(new KafkaClusterSnapshot(true, null, null, 3, TopicState.Ready, 12, null, _time.GetUtcNow()), status.Current);
    }

    [Fact]
    public void An_outage_counts_from_its_first_failure_and_ends_with_an_answer()
    {
        var status = new KafkaClusterStatus(External("kafka:9092"), _time);
        status.ReportReachable(1);
        status.ReportTopicReady(6);

        var began = _time.GetUtcNow();
        status.ReportUnreachable("down");
        _time.Advance(TimeSpan.FromSeconds(40));
        status.ReportUnreachable("still down");
        Assert.Equal(began, status.Current.UnreachableSince);
        Assert.StartsWith("Kafka at kafka:9092 unreachable for 40 s", status.Problem(), StringComparison.Ordinal);

        status.ReportReachable(1);
        Assert.Null(status.Current.UnreachableSince);
        Assert.Null(status.Problem());
    }

    private static KafkaEnvironment External(string bootstrapServers) => new(
        Options.Create(new KafkaOptions { BootstrapServers = bootstrapServers }),
        new ConfigurationBuilder().Build(),
        NullLogger<KafkaEnvironment>.Instance);
}
