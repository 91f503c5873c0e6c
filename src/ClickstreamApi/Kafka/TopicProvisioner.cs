using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace ClickstreamApi.Kafka;

/// <summary>
/// Makes sure the topic exists before the generator and consumer start (it is registered as the
/// first hosted service, and hosted services start in order).
/// </summary>
internal sealed partial class TopicProvisioner(KafkaEnvironment kafka, ILogger<TopicProvisioner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (kafka.Embedded is { } embedded)
        {
            // The mock cluster has no CreateTopics API; it has its own call instead.
            embedded.CreateTopic(kafka.Topic, kafka.Partitions);
            LogTopicCreated(kafka.Topic, kafka.Partitions, kafka.BootstrapServers);
            return Task.CompletedTask;
        }

        return ProvisionExternalAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ProvisionExternalAsync(CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(kafka.CreateAdminConfig())
            .SetLogHandler((_, message) => KafkaLogging.Log(logger, message))
            .SetErrorHandler((_, error) => KafkaLogging.LogError(logger, error))
            .Build();

        try
        {
            var spec = new TopicSpecification
            {
                Name = kafka.Topic,
                NumPartitions = kafka.Partitions,
                ReplicationFactor = kafka.ReplicationFactor,
            };
            await admin.CreateTopicsAsync([spec], new CreateTopicsOptions { RequestTimeout = kafka.AdminTimeout })
                .WaitAsync(kafka.AdminTimeout, cancellationToken);
            LogTopicCreated(kafka.Topic, kafka.Partitions, kafka.BootstrapServers);
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
        {
            LogTopicExists(kafka.Topic);
        }
        catch (Exception ex) when (ex is KafkaException or TimeoutException)
        {
            // Clusters that forbid topic creation (ACLs, managed services) are fine if the topic exists.
            LogTopicCreationFailed(ex, kafka.Topic, ex.Message);
        }

        try
        {
            var metadata = admin.GetMetadata(kafka.Topic, kafka.AdminTimeout);
            var topic = metadata.Topics.SingleOrDefault(t => t.Topic == kafka.Topic);
            if (topic is { Error.IsError: false, Partitions.Count: > 0 })
            {
                kafka.Partitions = topic.Partitions.Count;
            }
        }
        catch (KafkaException ex)
        {
            LogMetadataFailed(ex, kafka.Topic);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} ready with {Partitions} partition(s) at {BootstrapServers}")]
    private partial void LogTopicCreated(string topic, int partitions, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} already exists")]
    private partial void LogTopicExists(string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create topic {Topic} ({Reason}); going on in case it exists or is auto-created")]
    private partial void LogTopicCreationFailed(Exception exception, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the metadata of topic {Topic}; assuming the configured partition count")]
    private partial void LogMetadataFailed(Exception exception, string topic);
}
