using ClickstreamApi.Kafka;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Fleet;

/// <summary>
/// The fleet's two topics and its group: <c>&lt;topic&gt;_fleet</c> (its partitions are the shards;
/// partition 0 also carries the command log) and <c>&lt;topic&gt;_fleet_status</c> (one partition,
/// compacted, a snapshot per member). Creates them where it can; an existing control topic's
/// partition count is the shard count, so every member agrees on it.
/// </summary>
public sealed partial class FleetTopics(KafkaEnvironment kafka, IOptions<FleetOptions> options, ILogger<FleetTopics> logger)
{
    private readonly FleetOptions _options = options.Value;

    public string Control => kafka.Topic + "_fleet";

    public string Status => kafka.Topic + "_fleet_status";

    /// <summary>The group every member's membership consumer joins.</summary>
    public string GroupId => "clickstream-fleet-" + _options.Name;

    /// <summary>The consumer group of the members' consumers when they share one (Fleet:ShareConsumerGroup).</summary>
    public static string ConsumerGroupOf(string fleetName) => "clickstream-fleet-" + fleetName + "-consumers";

    /// <summary>A client configuration for the fleet's own clients: the cluster and its security settings, nothing of the click stream's tuning.</summary>
    internal ClientConfig ClientConfig(string clientId)
    {
        var config = kafka.CreateAdminConfig();
        config.ClientId = clientId;
        return config;
    }

    /// <summary>
    /// Makes sure both topics exist and returns the shard count (the control topic's partitions):
    /// created in the embedded cluster directly, on an external one through the Admin API (the status
    /// topic compacted), else found as someone created them. Null while they cannot be found yet.
    /// </summary>
    internal async Task<int?> EnsureAsync(CancellationToken cancellationToken)
    {
        if (kafka.Embedded is { } embedded)
        {
            embedded.CreateTopic(Control, _options.Shards);
            embedded.CreateTopic(Status, 1);
            return _options.Shards;
        }

        using var admin = new AdminClientBuilder(ClientConfig("clickstream-fleet-admin")).Build();
        if (Find(admin) is { } existing)
        {
            return existing;
        }

        try
        {
            await admin.CreateTopicsAsync(
                [
                    new TopicSpecification { Name = Control, NumPartitions = _options.Shards, ReplicationFactor = -1 },
                    new TopicSpecification { Name = Status, NumPartitions = 1, ReplicationFactor = -1, Configs = new() { ["cleanup.policy"] = "compact" } },
                ],
                new CreateTopicsOptions { RequestTimeout = kafka.AdminTimeout }).WaitAsync(kafka.AdminTimeout + TimeSpan.FromSeconds(1), cancellationToken);
            LogCreated(Control, _options.Shards, Status);
        }
        catch (Exception ex) when (ex is KafkaException or TimeoutException)
        {
            // Created by another member already, or not ours to create (then someone must, with the command below).
            if (ex is not CreateTopicsException create || create.Results.Any(r => r.Error.IsError && r.Error.Code != ErrorCode.TopicAlreadyExists))
            {
                LogNotCreated(Control, Status, ex.Message, _options.Shards);
            }
        }

        return Find(admin);
    }

    /// <summary>The control topic's partition count when both topics exist.</summary>
    private int? Find(IAdminClient admin)
    {
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(5));
        var control = metadata.Topics.FirstOrDefault(t => t.Topic == Control && t.Error.Code == ErrorCode.NoError);
        var status = metadata.Topics.FirstOrDefault(t => t.Topic == Status && t.Error.Code == ErrorCode.NoError);
        return control is { Partitions.Count: > 0 } && status is { Partitions.Count: > 0 } ? control.Partitions.Count : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet topics created: {Control} with {Shards} partitions (the shards), {Status} compacted")]
    private partial void LogCreated(string control, int shards, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fleet topics {Control} and {Status} could not be created ({Reason}); create them with: kafka-topics.sh --create --topic {Control} --partitions {Shards} and kafka-topics.sh --create --topic {Status} --partitions 1 --config cleanup.policy=compact")]
    private partial void LogNotCreated(string control, string status, string reason, int shards);
}
