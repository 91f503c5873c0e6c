using System.Text.Json;
using Confluent.Kafka;

namespace ClickstreamApi.Fleet;

/// <summary>
/// Reads the fleet's command log (control topic, partition 0) and status topic from their beginning:
/// the commands fold into the fleet's state, which is applied here once the log is caught up and then
/// command by command; the snapshots fill <see cref="FleetView"/>. A message that is neither is
/// counted and skipped. Runs on a thread of its own.
/// </summary>
internal sealed partial class FleetLog(FleetTopics topics, FleetView view, FleetSteering steering, ILogger<FleetLog> logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public void Run(CancellationToken stoppingToken)
    {
        var config = new ConsumerConfig(topics.ClientConfig("clickstream-fleet-log"))
        {
            GroupId = topics.GroupId + "-log-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AllowAutoCreateTopics = false,
            FetchWaitMaxMs = 50,
        };
        using var consumer = new ConsumerBuilder<string?, byte[]?>(config).Build();
        var control = new TopicPartition(topics.Control, 0);
        // The log as it stands is folded first and applied once: replaying old starts and stops one by one would run them again.
        var end = consumer.QueryWatermarkOffsets(control, TimeSpan.FromSeconds(10)).High.Value;
        var caughtUp = end == 0;
        if (caughtUp)
        {
            steering.Apply(view.State, fromHistory: true);
        }

        consumer.Assign([new TopicPartitionOffset(control, Offset.Beginning), new TopicPartitionOffset(topics.Status, 0, Offset.Beginning)]);
        while (!stoppingToken.IsCancellationRequested)
        {
            ConsumeResult<string?, byte[]?>? result;
            try
            {
                result = consumer.Consume(Poll);
            }
            catch (ConsumeException ex)
            {
                LogSkipped(ex.ConsumerRecord?.Topic ?? "?", ex.Error.Reason);
                view.CountRejected();
                continue;
            }

            if (result is null)
            {
                continue;
            }

            if (result.Topic == topics.Control)
            {
                if (Parse(result, FleetJson.Default.FleetCommand) is { } command)
                {
                    if (command is { Id: not null, IssuedBy: not null })
                    {
                        var state = view.Apply(command);
                        if (caughtUp)
                        {
                            steering.Apply(state);
                        }
                    }
                    else
                    {
                        LogSkipped(result.Topic, "a command without its id or issuer");
                        view.CountRejected();
                    }
                }

                if (!caughtUp && result.Offset.Value >= end - 1)
                {
                    caughtUp = true;
                    steering.Apply(view.State, fromHistory: true);
                }
            }
            else if (result.Message.Value is null)
            {
                if (result.Message.Key is { } departed)
                {
                    view.Remove(departed);
                }
            }
            else if (Parse(result, FleetJson.Default.FleetSnapshot) is { } snapshot)
            {
                if (snapshot is { Member: not null, Shards: not null })
                {
                    view.Record(snapshot);
                }
                else
                {
                    LogSkipped(result.Topic, "a snapshot without its member or shards");
                    view.CountRejected();
                }
            }
        }

        consumer.Close();
    }

    private T? Parse<T>(ConsumeResult<string?, byte[]?> result, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            if (result.Message.Value is { } value && JsonSerializer.Deserialize(value, type) is { } parsed)
            {
                return parsed;
            }
        }
        catch (JsonException ex)
        {
            LogSkipped(result.Topic, ex.Message);
            view.CountRejected();
            return null;
        }

        LogSkipped(result.Topic, "empty message");
        view.CountRejected();
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet: skipped a message on {Topic} that is neither a command nor a snapshot: {Reason}")]
    private partial void LogSkipped(string topic, string reason);
}
