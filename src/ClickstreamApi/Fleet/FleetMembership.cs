using ClickstreamApi.Generation.Model;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Fleet;

/// <summary>
/// This member's place in the fleet's consumer group on the control topic: the partitions the group
/// assigns it are its shards. Kafka's rebalance protocol does all the membership work: a member that
/// joins, leaves or stops heartbeating for the session time-out has its shards moved to the others.
/// Runs on a thread of its own (the consumer's calls block).
/// </summary>
internal sealed partial class FleetMembership(FleetTopics topics, FleetSteering steering, IOptions<FleetOptions> options, ILogger<FleetMembership> logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly FleetOptions _options = options.Value;
    private readonly SortedSet<int> _owned = [];

    public void Run(int shardCount, CancellationToken stoppingToken)
    {
        var config = new ConsumerConfig(topics.ClientConfig("clickstream-fleet-member"))
        {
            GroupId = topics.GroupId,
            SessionTimeoutMs = _options.SessionTimeoutMilliseconds,
            HeartbeatIntervalMs = Math.Max(100, _options.SessionTimeoutMilliseconds / 5),
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Latest,
            AllowAutoCreateTopics = false,
            // Membership only: the control topic's messages (commands, on partition 0) are read elsewhere.
            FetchMaxBytes = 1024 * 1024,
        };
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config)
            .SetPartitionsAssignedHandler((_, partitions) => Change(shardCount, added: partitions.Select(p => p.Partition.Value), removed: []))
            .SetPartitionsRevokedHandler((_, partitions) => Change(shardCount, added: [], removed: partitions.Select(p => p.Partition.Value)))
            .SetPartitionsLostHandler((_, partitions) => Change(shardCount, added: [], removed: partitions.Select(p => p.Partition.Value)))
            .SetErrorHandler((_, error) => LogError(error.Reason))
            .Build();
        consumer.Subscribe(topics.Control);
        LogJoining(topics.GroupId, topics.Control, shardCount);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                consumer.Consume(Poll);
            }
            catch (ConsumeException ex)
            {
                LogError(ex.Error.Reason);
            }
        }

        // Leaving the group at once hands this member's shards to the others without waiting for the session time-out.
        consumer.Close();
    }

    private void Change(int shardCount, IEnumerable<int> added, IEnumerable<int> removed)
    {
        _owned.UnionWith(added);
        _owned.ExceptWith(removed);
        steering.Own(new UserShards(shardCount, _owned));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet: joining group {GroupId} on {Topic} ({Shards} shards)")]
    private partial void LogJoining(string groupId, string topic, int shards);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet membership: {Reason}")]
    private partial void LogError(string reason);
}
