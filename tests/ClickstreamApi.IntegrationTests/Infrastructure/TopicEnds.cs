using System.Text.Json;
using Confluent.Kafka;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>
/// "Nothing more will arrive" as a condition instead of a pause: the broker's end offset of every
/// partition, asked with a Kafka client of the test's own, and a wait until the service's consumer
/// has read up to them. After that, a late duplicate or a re-read has nowhere to come from.
/// </summary>
public static class TopicEnds
{
    /// <summary>The high watermark (the offset the next message will get) of every partition of the topic.</summary>
    public static IReadOnlyDictionary<int, long> Query(string bootstrapServers, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single(t => t.Topic == topic).Partitions;
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = $"topic-ends-{Guid.NewGuid():N}" }).Build();
        return partitions.ToDictionary(
            p => p.PartitionId,
            p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10)).High.Value);
    }

    /// <summary>The sum of the offsets <paramref name="groupId"/> has committed over the topic's partitions (asked without joining the group).</summary>
    public static long CommittedTotal(string bootstrapServers, string topic, string groupId)
    {
        var partitions = Query(bootstrapServers, topic).Keys.Select(p => new TopicPartition(topic, p)).ToList();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = groupId }).Build();
        return consumer.Committed(partitions, TimeSpan.FromSeconds(10)).Where(c => c.Offset.Value > 0).Sum(c => c.Offset.Value);
    }

    /// <summary>
    /// Waits until the service's consumer position in every partition has reached <paramref name="ends"/>,
    /// and then until the analytics (integrity included), which the consumer publishes twice a second,
    /// have been published again: what /api/stats says next counts every message read.
    /// </summary>
    public static async Task AwaitConsumedAsync(ApiClient api, IReadOnlyDictionary<int, long> ends, TimeSpan? timeout = null)
    {
        await Eventually.Until(
            async () =>
            {
                var (response, stats) = await api.GetJsonAsync("/api/stats");
                response.Dispose();
                return stats.GetProperty("partitions").GetProperty("partitions").EnumerateArray()
                    .Where(p => p.GetProperty("position").ValueKind == JsonValueKind.Number)
                    .ToDictionary(p => p.GetProperty("partition").GetInt32(), p => p.GetProperty("position").GetInt64());
            },
            positions => ends.All(end => end.Value == 0 || (positions.TryGetValue(end.Key, out var position) && position >= end.Value)),
            $"the consumer to read every partition up to {string.Join(", ", ends.Select(e => $"{e.Key}:{e.Value}"))}",
            timeout ?? TimeSpan.FromSeconds(60));
        var reachedAt = DateTimeOffset.UtcNow;
        await Eventually.Until(
            async () =>
            {
                var (response, stats) = await api.GetJsonAsync("/api/stats");
                response.Dispose();
                return stats.GetProperty("analyticsAt").GetDateTimeOffset();
            },
            analyticsAt => analyticsAt > reachedAt,
            "the analytics to be published after the last message was read");
    }
}
