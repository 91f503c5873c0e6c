using ClickstreamApi.IntegrationTests.Infrastructure;
using ClickstreamApi.IntegrationTests.Reliability;
using ClickstreamApi.Api;
using Confluent.Kafka;

namespace ClickstreamApi.IntegrationTests.Kafka;

/// <summary>
/// The embedded cluster's retention of committed messages (Kafka:EmbeddedReadRetention): a live run
/// deletes what the consumer group has committed beyond the newest N per partition, counts it, and
/// loses nothing; a bounded run (a dataset) is kept whole. Checked with a Kafka client of the test's own.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class EmbeddedReadRetentionTests : IAsyncDisposable
{
    private const int Keep = 200;

    private readonly ConfiguredAppFactory _app = new(new() { ["Kafka:EmbeddedReadRetention"] = Keep.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Kafka:Partitions"] = "3" });

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_live_run_deletes_committed_messages_beyond_the_retention_counts_them_and_loses_nothing()
    {
        var api = new ApiClient(_app.CreateClient());
        await api.SetRateAsync(2_000);
        var started = await api.StartAsync();
        var deleting = await Eventually.Until(api.GetKafkaAsync, k => k.ReadRetention is { Deleted: > 0 }, "the retention to delete committed messages", TimeSpan.FromSeconds(60));
        Assert.Equal(Keep, deleting.ReadRetention!.KeepPerPartition);

        // The first deletion may be in one partition only: the run goes on until every partition's log
        // has been trimmed, as seen by a client of the test's own.
        await Eventually.Until(() => Task.FromResult(LogStarts(deleting)), starts => starts.All(start => start > 0), "every partition's log to start after a deletion", TimeSpan.FromSeconds(60));
        await api.StopAsync();
        var done = await Eventually.Until(api.GetGeneratorAsync, s => s.Queued == 0, "the queue to drain");
        var seen = await RunReconciliation.AwaitAsync(api, started.RunId!, done.RunEvents);
        Assert.Equal(done.RunEvents, seen.Received);
        Assert.Equal(0, seen.Missing);
        Assert.Equal(0, seen.Duplicates);
        var (response, stats) = await api.GetJsonAsync("/api/stats");
        response.Dispose();
        Assert.Equal(0, stats.GetProperty("integrity").GetProperty("skippedMessages").GetInt64());

        // The broker's log now starts after what was deleted; every deletion is counted, and a reader
        // from the beginning starts at the new start, with at least the retained messages after it.
        var kafka = await api.GetKafkaAsync();
        using var reader = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "retention-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        var lows = new long[kafka.Partitions];
        for (var partition = 0; partition < kafka.Partitions; partition++)
        {
            var topicPartition = new TopicPartition(kafka.Topic, partition);
            var watermarks = reader.QueryWatermarkOffsets(topicPartition, TimeSpan.FromSeconds(10));
            lows[partition] = watermarks.Low.Value;
            Assert.True(watermarks.High.Value - watermarks.Low.Value >= Keep, $"partition {partition}: {watermarks.Low.Value}..{watermarks.High.Value} keeps fewer than {Keep}");
        }

        Assert.True(lows.All(low => low > 0), $"log starts {string.Join(", ", lows)}");
        Assert.Equal(lows.Sum(), kafka.ReadRetention!.Deleted);

        reader.Assign(new TopicPartitionOffset(kafka.Topic, 0, Offset.Beginning));
        ConsumeResult<Ignore, byte[]>? first = null;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (first is null && DateTime.UtcNow < deadline)
        {
            first = reader.Consume(TimeSpan.FromMilliseconds(200));
        }

        Assert.NotNull(first);
        Assert.Equal(lows[0], first.Offset.Value);
        reader.Close();
    }

    private static long[] LogStarts(KafkaInfo kafka)
    {
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "retention-" + Guid.NewGuid().ToString("N") }).Build();
        return Enumerable.Range(0, kafka.Partitions)
            .Select(partition => reader.QueryWatermarkOffsets(new TopicPartition(kafka.Topic, partition), TimeSpan.FromSeconds(10)).Low.Value)
            .ToArray();
    }

    [Fact]
    public async Task A_bounded_run_is_kept_whole()
    {
        var api = new ApiClient(_app.CreateClient());
        // Six seconds of generating, with commits and retention rounds all the while.
        await api.SetRateAsync(1_000);
        var run = await api.CompleteRunAsync(new { maxEvents = 6_000 });
        var kafka = await api.GetKafkaAsync();
        var ends = TopicEnds.Query(kafka.BootstrapServers, kafka.Topic);
        await TopicEnds.AwaitConsumedAsync(api, ends);

        // Everything is committed (the consumer commits five times a second on the embedded cluster), and
        // the retention has had several rounds since: a live run would have deleted by now.
        await Eventually.Until(() => Task.FromResult(TopicEnds.CommittedTotal(kafka.BootstrapServers, kafka.Topic, kafka.ConsumerGroup)), total => total == ends.Values.Sum(), "the group to commit every message");
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);

        Assert.Equal(0, (await api.GetKafkaAsync()).ReadRetention!.Deleted);
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "retention-" + Guid.NewGuid().ToString("N") }).Build();
        for (var partition = 0; partition < kafka.Partitions; partition++)
        {
            Assert.Equal(0, reader.QueryWatermarkOffsets(new TopicPartition(kafka.Topic, partition), TimeSpan.FromSeconds(10)).Low.Value);
        }

        Assert.True(ends.Values.Min() > Keep, $"each partition holds more than {Keep} messages, so a live run would have deleted some: {string.Join(", ", ends)}");
        Assert.Equal(6_000, run.RunEvents);
    }
}
