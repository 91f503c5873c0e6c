using System.Text.Json;
using Confluent.Kafka;

namespace ClickstreamApi.Fleet;

/// <summary>Writes to the fleet's topics: commands to the control topic's partition 0 (one ordered log), snapshots to the status topic under the member's name.</summary>
public sealed class FleetPublisher(FleetTopics topics) : IDisposable
{
    private readonly Lazy<IProducer<string, byte[]?>> _producer = new(() => new ProducerBuilder<string, byte[]?>(new ProducerConfig(topics.ClientConfig("clickstream-fleet"))
    {
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 0,
        AllowAutoCreateTopics = false,
        MessageTimeoutMs = 30_000,
    }).Build());

    /// <summary>Publishes a command; completes once the cluster has it, so every member will read it.</summary>
    public async Task PublishAsync(FleetCommand command, CancellationToken cancellationToken)
    {
        var value = JsonSerializer.SerializeToUtf8Bytes(command, FleetJson.Default.FleetCommand);
        await _producer.Value.ProduceAsync(new TopicPartition(topics.Control, 0), new Message<string, byte[]?> { Key = command.Id, Value = value }, cancellationToken);
    }

    /// <summary>Publishes a member's snapshot without waiting (the next one follows within a second).</summary>
    public void Publish(FleetSnapshot snapshot)
    {
        var value = JsonSerializer.SerializeToUtf8Bytes(snapshot, FleetJson.Default.FleetSnapshot);
        _producer.Value.Produce(new TopicPartition(topics.Status, 0), new Message<string, byte[]?> { Key = snapshot.Member, Value = value });
    }

    /// <summary>The member leaves: a tombstone for its snapshot, delivered before this returns (or the time-out).</summary>
    public void PublishDeparture(string member, TimeSpan timeout)
    {
        _producer.Value.Produce(new TopicPartition(topics.Status, 0), new Message<string, byte[]?> { Key = member, Value = null });
        _producer.Value.Flush(timeout);
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Dispose();
        }
    }
}
