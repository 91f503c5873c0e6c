using System.Text;
using Confluent.Kafka;

namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>One message as a reader that is not the service finds it on a topic, with its <c>run-id</c> header.</summary>
public sealed record TopicRecord(string Topic, int Partition, long Offset, string? Key, byte[]? Value, long TimestampMs, string? RunId)
{
    /// <summary>The key exactly as it is on the topic.</summary>
    public byte[]? KeyBytes { get; init; }

    /// <summary>The headers in their order.</summary>
    public IReadOnlyList<(string Key, byte[] Value)> Headers { get; init; } = [];

    public TimestampType TimestampType { get; init; }
}

/// <summary>
/// Reads whole topics with a Confluent.Kafka consumer of the test's own: every partition assigned
/// from the beginning, up to the end offsets asked for first.
/// </summary>
public static class TopicReader
{
    public static IReadOnlyList<TopicRecord> ReadAll(string bootstrapServers, IEnumerable<string> topics, TimeSpan? timeout = null)
    {
        var ends = topics.SelectMany(topic => TopicEnds.Query(bootstrapServers, topic).Select(end => (Partition: new TopicPartition(topic, end.Key), End: end.Value)))
            .Where(end => end.End > 0)
            .ToDictionary(end => end.Partition, end => end.End);
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"topic-reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            FetchWaitMaxMs = 5,
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Assign(ends.Keys.Select(partition => new TopicPartitionOffset(partition, Offset.Beginning)));
        var records = new List<TopicRecord>();
        var remaining = new HashSet<TopicPartition>(ends.Keys);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (remaining.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out reading {string.Join(", ", remaining)}");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            var message = result.Message;
            var runId = message.Headers is { } headers && headers.TryGetLastBytes("run-id", out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
            records.Add(new TopicRecord(result.Topic, result.Partition.Value, result.Offset.Value, message.Key is null ? null : Encoding.UTF8.GetString(message.Key), message.Value, message.Timestamp.UnixTimestampMs, runId)
            {
                KeyBytes = message.Key,
                Headers = message.Headers?.Select(h => (h.Key, h.GetValueBytes())).ToList() ?? [],
                TimestampType = message.Timestamp.Type,
            });
            if (result.Offset.Value + 1 >= ends[result.TopicPartition])
            {
                remaining.Remove(result.TopicPartition);
            }
        }

        return records;
    }
}
