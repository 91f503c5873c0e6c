using ClickstreamApi.Consumption;
using ClickstreamApi.Generation;
using ClickstreamApi.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Observability;

/// <summary>
/// Ready means the producer reaches the cluster (a metadata round trip on its own connection) and
/// the consumer is running with partitions assigned (unless it is
/// disabled by configuration).
/// </summary>
internal sealed class KafkaReadinessCheck(
    KafkaEnvironment kafka,
    ClickProducer producer,
    ConsumerState consumer,
    IOptions<ConsumerOptions> consumerOptions) : IHealthCheck
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // The metadata call blocks; keep it off the request thread.
        var (reachable, producerState) = await Task.Run(
            () => (producer.CanReachCluster(MetadataTimeout, out var description), description),
            cancellationToken);

        var data = new Dictionary<string, object>
        {
            ["mode"] = kafka.Mode.ToString().ToLowerInvariant(),
            ["bootstrapServers"] = kafka.BootstrapServers,
            ["producer"] = producerState,
            ["consumerRunning"] = consumer.IsRunning,
            ["assignedPartitions"] = consumer.Partitions.Count,
        };

        if (!reachable)
        {
            return HealthCheckResult.Unhealthy($"The producer cannot reach Kafka: {producerState}", data: data);
        }

        if (!consumerOptions.Value.Enabled)
        {
            return HealthCheckResult.Healthy("The producer is connected; the consumer is disabled by configuration.", data);
        }

        if (!consumer.IsRunning)
        {
            return HealthCheckResult.Unhealthy("The consumer is not running.", data: data);
        }

        return consumer.Partitions.Count == 0
            ? HealthCheckResult.Unhealthy("The consumer has no partitions assigned yet.", data: data)
            : HealthCheckResult.Healthy("Producer and consumer are connected.", data);
    }
}
