using Confluent.Kafka;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>One message exactly as it sits on the topic.</summary>
public sealed record DumpedMessage(int Partition, long Offset, byte[]? Key, byte[]? Value, IReadOnlyList<(string Key, byte[] Value)> Headers, long TimestampMs, TimestampType TimestampType);

/// <summary>
/// Every message of a topic, start to end of every partition, read with a Confluent consumer of the
/// test's own (assigned, no group): what any other client of the cluster would find there.
/// </summary>
public static class TopicDump
{
    public static IReadOnlyList<DumpedMessage> Read(string bootstrapServers, string topic)
    {
        var ends = TopicEnds.Query(bootstrapServers, topic);
        var messages = new List<DumpedMessage>();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"dump-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(ends.Where(e => e.Value > 0).Select(e => new TopicPartitionOffset(topic, e.Key, Offset.Beginning)));
        var remaining = ends.Where(e => e.Value > 0).ToDictionary(e => e.Key, e => e.Value);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (remaining.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"reading {topic} took over 2 minutes; left: {string.Join(", ", remaining)}");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                if (remaining.TryGetValue(result.Partition.Value, out var end) && result.Offset.Value >= end)
                {
                    remaining.Remove(result.Partition.Value);
                }

                continue;
            }

            var message = result.Message;
            messages.Add(new DumpedMessage(
                result.Partition.Value,
                result.Offset.Value,
                message.Key,
                message.Value,
                message.Headers?.Select(h => (h.Key, h.GetValueBytes())).ToList() ?? [],
                message.Timestamp.UnixTimestampMs,
                message.Timestamp.Type));
            if (remaining.TryGetValue(result.Partition.Value, out var last) && result.Offset.Value + 1 >= last)
            {
                remaining.Remove(result.Partition.Value);
            }
        }

        return [.. messages.OrderBy(m => m.Partition).ThenBy(m => m.Offset)];
    }
}
